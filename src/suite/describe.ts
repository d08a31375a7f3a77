/**
 * Words for values that came back from student code, for messages such as
 * "expected a number, got a string "0.5"".
 */

function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Describes any value in a few words. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined (did the function forget to return?)';
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return String(value);
    return `the number ${formatNumber(value)}`;
  }
  if (typeof value === 'string') return `a string ${preview(value)} (return a number, not text)`;
  if (typeof value === 'boolean' || typeof value === 'bigint') return `a ${typeof value} ${String(value)}`;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor?.name ?? 'typed array';
    const length = (value as unknown as { length?: number }).length;
    return `a ${name}${length === undefined ? '' : ` of length ${length}`} (return a plain array, e.g. Array.from(…))`;
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (tag === 'Map' || tag === 'Set' || tag === 'Date' || tag === 'RegExp' || tag === 'Error') return `a ${tag}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    return keys.length ? `an object with keys {${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}}` : 'an empty object';
  }
  return `a ${typeof value}`;
}

/** A number in at most 7 significant digits, exact integers as is. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e7)) return value.toExponential(4);
  return String(Number(value.toPrecision(7)));
}
