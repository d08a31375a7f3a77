/**
 * Diagnoses of the usual mistakes in a gradient-descent training loop's bookkeeping, from what a
 * trainer returned compared with the reference trainer on the same data, initialisation and
 * learning rate (what is wrong with an update itself: ./updateDiagnosis):
 * - where a loss history first departs from the reference, and why it has the wrong length;
 * - what is wrong with a recorded loss value (the other loss, a factor, log(0), clipping);
 * - where the loss first rises;
 * - which input the trainer modified.
 * Pure functions. Hints (the strings returned by `diagnose…`) never quote input or expected values,
 * so they may be shown for hidden tests; `describe…` sentences do quote values and belong in
 * messages only.
 */
import type { Tolerance } from './closeness';
import { formatNumber } from './describe';
import { diagnoseLossRatio } from './diagnosis';

/** Where two histories first differ beyond the tolerance. */
export interface Departure {
  index: number;
  got: number;
  expected: number;
}

/**
 * The first index at which `got` leaves `expected` by more than atol + rtol·|expected|
 * (non-finite values must match exactly), comparing the common prefix; undefined when none does.
 *
 * @example
 * firstDeparture([1, 0.5, 0.3], [1, 0.5, 0.2], { rtol: 1e-6, atol: 1e-9 }) // returns { index: 2, got: 0.3, expected: 0.2 }
 */
export function firstDeparture(got: number[], expected: number[], tolerance: Tolerance): Departure | undefined {
  const length = Math.min(got.length, expected.length);
  for (let i = 0; i < length; i++) {
    const g = got[i];
    const e = expected[i];
    const ok = Number.isFinite(g) && Number.isFinite(e) ? Math.abs(g - e) <= tolerance.atol + tolerance.rtol * Math.abs(e) : Object.is(g, e);
    if (!ok) return { index: i, got: g, expected: e };
  }
  return undefined;
}

/**
 * One sentence saying where a history departs (quotes values: for messages). `firstUpdate` is
 * what a one-epoch run measured: whether the parameters after the first update are the
 * reference's; without it, no cause is claimed for a departure at history[1].
 *
 * @example
 * describeDeparture({ index: 1, got: 0.71, expected: 0.65 }, 'differs')
 * // returns "history[0] matches but history[1] = 0.71 vs expected 0.65: your first update is wrong"
 */
export function describeDeparture(departure: Departure, firstUpdate?: 'matches' | 'differs'): string {
  const { index, got, expected } = departure;
  const values = `history[${index}] = ${formatNumber(got)} vs expected ${formatNumber(expected)}`;
  if (index === 0) return `${values}: the loss at the initial parameters (w0, b0), before any update, already differs`;
  if (index === 1) {
    if (firstUpdate === 'differs') return `history[0] matches but ${values}: your first update is wrong`;
    if (firstUpdate === 'matches') return `history[0] matches but ${values}, although your first update matches the reference's (the parameters after one epoch agree)`;
    return `history[0] matches but ${values}`;
  }
  return `history[0…${index - 1}] match but ${values}: your trajectory leaves the reference's at update ${index}`;
}

/** Whether two equally long vectors agree within `tolerance` everywhere. */
function historiesClose(got: number[], expected: number[], tolerance: Tolerance): boolean {
  return got.length === expected.length && firstDeparture(got, expected, tolerance) === undefined;
}

export const RECORDED_BEFORE_UPDATE_HINT =
  'Your history is one value short (epochs values instead of epochs + 1) and equals the reference without its last value, while your parameters are those after every update: you record the loss before each update, so the loss after the final update is missing. Record it once before the loop (history[0], at w0 and b0) and once after every update.';

export const MISSING_INITIAL_LOSS_HINT =
  'Your history is one value short (epochs values instead of epochs + 1) and equals the reference without its first value: history[0] must be the loss at the initial parameters (w0, b0), before any update. Record it once before the loop, then once after every update.';

export const ONE_UPDATE_SHORT_HINT =
  'Your history is one value short (epochs values instead of epochs + 1) and your parameters are those after epochs − 1 updates: your loop does one update too few. Do exactly epochs updates (e.g. `for (let t = 0; t < epochs; t++)`), recording the loss after each.';

export const DUPLICATE_INITIAL_LOSS_HINT =
  'Your history has one value too many and starts with the loss at (w0, b0) twice: record it once before the loop, then once after every update (not before it).';

/** What is known about the returned parameters when a history has the wrong length. */
export interface HistoryLengthContext {
  /** The number of reference updates the returned parameters equal, when they equal one. */
  returnedAfter?: number;
}

/**
 * Explains a history of the wrong length (`expected` is the reference history, length epochs + 1),
 * or undefined when the lengths agree. With `returnedAfter`, "recorded before each update"
 * (parameters after every update) is told apart from "one update too few" (after epochs − 1).
 *
 * @example
 * diagnoseHistoryLength([0.9, 0.8], [0.9, 0.8, 0.7], { rtol: 1e-6, atol: 1e-9 }, { returnedAfter: 2 }) // returns RECORDED_BEFORE_UPDATE_HINT
 */
export function diagnoseHistoryLength(got: number[], expected: number[], tolerance: Tolerance, context: HistoryLengthContext = {}): string | undefined {
  if (got.length === expected.length) return undefined;
  const epochs = expected.length - 1;
  if (got.length === expected.length - 1) {
    if (historiesClose(got, expected.slice(0, -1), tolerance)) {
      if (context.returnedAfter === epochs - 1) return ONE_UPDATE_SHORT_HINT;
      if (context.returnedAfter === epochs) return RECORDED_BEFORE_UPDATE_HINT;
      return 'Your history is one value short (epochs values instead of epochs + 1) and equals the reference without its last value: either you record the loss before each update (the loss after the final update is missing) or your loop does one update too few.';
    }
    if (historiesClose(got, expected.slice(1), tolerance)) return MISSING_INITIAL_LOSS_HINT;
    return 'Your history is one value short: it needs epochs + 1 values — history[0] is the loss at (w0, b0) before any update, history[t] the loss after t updates.';
  }
  if (got.length === expected.length + 1) {
    if (historiesClose(got, [expected[0], ...expected], tolerance)) return DUPLICATE_INITIAL_LOSS_HINT;
    return 'Your history has one value too many: it needs exactly epochs + 1 values — history[0] at (w0, b0), then one per update. Do not record the initial loss twice.';
  }
  if (got.length < expected.length && got.length >= 1 && historiesClose(got, expected.slice(0, got.length), tolerance)) {
    return `Your history stops after ${got.length} values and follows the reference's until then: your trainer stops before epochs updates (a loop bound, or a stopping rule). Do exactly epochs updates and record epochs + 1 values.`;
  }
  return 'Your history has the wrong length: it needs epochs + 1 values — history[0] is the loss at (w0, b0) before any update, history[t] the loss after t updates.';
}

export const RECORDED_BEFORE_UPDATE_AND_INITIALLY_HINT =
  'Your history starts with the loss at (w0, b0) twice and ends one update early: you record the loss before the loop and again at the top of every epoch, before the update. Record it before the loop, then after every update — history[epochs] is the loss at the parameters you return.';

/**
 * Explains a history of the right length whose values are the reference's shifted by one update
 * (the loss at the start recorded twice, the one after the last update missing), or undefined.
 *
 * @example
 * diagnoseShiftedHistory([0.9, 0.9, 0.8], [0.9, 0.8, 0.7], { rtol: 1e-6, atol: 1e-9 }) // returns RECORDED_BEFORE_UPDATE_AND_INITIALLY_HINT
 */
export function diagnoseShiftedHistory(got: number[], expected: number[], tolerance: Tolerance): string | undefined {
  if (got.length !== expected.length || got.length < 2) return undefined;
  return historiesClose(got, [expected[0], ...expected.slice(0, -1)], tolerance) ? RECORDED_BEFORE_UPDATE_AND_INITIALLY_HINT : undefined;
}

export const LOG_ZERO_HINT =
  'Your recorded loss is not finite: log(0) once a probability rounds to 0 or 1 (or an overflowing exp). Compute the loss from the logits — max(z, 0) − z·y + ln(1 + e^(−|z|)) for cross-entropy on a sigmoid, z − logsumexp(z) for softmax — which is finite for any z.';

/** What is known about a recorded loss value for {@link diagnoseRecordedLoss}. */
export interface RecordedLossContext {
  /** Number of samples N. */
  n: number;
  /** The loss opts.loss names: 'bce', 'mse' or 'cce'. */
  loss: string;
  /** The other binary loss at the same parameters (to recognise "history holds the wrong loss"). */
  otherLoss?: { name: string; value: number };
  /** Where the value was recorded, e.g. "history[0], the loss at the initial parameters". */
  where?: string;
}

/**
 * Explains a recorded loss value `got` that should be `expected`: not finite (log(0)), the other
 * loss than opts.loss asks for, a clipped probability (−ln ε), a constant factor (½, 2, N, sign).
 * Undefined when none fits.
 *
 * @example
 * diagnoseRecordedLoss(16.11809565095832, 40, { n: 1, loss: 'bce' }) // returns "Your loss is −ln(1e-7) …: you clip …"
 */
export function diagnoseRecordedLoss(got: number, expected: number, context: RecordedLossContext): string | undefined {
  if (!Number.isFinite(got)) return LOG_ZERO_HINT;
  const other = context.otherLoss;
  if (other && Math.abs(got - other.value) <= 1e-9 + 1e-6 * Math.abs(other.value)) {
    return `Your history holds the ${other.name} loss, but opts.loss asked for '${context.loss}': compute the loss that opts.loss names (the same one whose gradient you follow).`;
  }
  if (got < expected) {
    for (let k = 1; k <= 20; k++) {
      const bound = k * Math.LN10;
      if (Math.abs(got - bound) <= 1e-6 * bound) {
        return `Your loss is −ln(1e-${k}) where the exact value is larger: you clip the probability (or add ε = 1e-${k} inside the log), which caps the loss of a confidently wrong prediction. Compute it from the logits instead — max(z, 0) − z·y + ln(1 + e^(−|z|)), or z − logsumexp(z) for softmax — exact for any z.`;
      }
    }
  }
  const ratio = diagnoseLossRatio(got, expected, context.n);
  return ratio ? `${ratio}${context.where ? ` (This is ${context.where}.)` : ''}` : undefined;
}

/**
 * Explains a wrong history[0] (the loss at the initial parameters) — {@link diagnoseRecordedLoss}
 * at history[0].
 *
 * @example
 * diagnoseInitialLoss(0.25, 0.5, { n: 10, loss: 'mse' }) // returns "Your value is exactly half the expected one: …"
 */
export function diagnoseInitialLoss(got: number, expected: number, context: Omit<RecordedLossContext, 'where'>): string | undefined {
  if (!Number.isFinite(got)) return 'Your loss at the initial parameters is not finite: look for log(0) (compute the loss from the logits) or an overflowing exp.';
  return diagnoseRecordedLoss(got, expected, { ...context, where: `history[0], the ${context.loss} loss at the initial parameters` });
}

/** A rise of the loss between two consecutive history entries. */
export interface Rise {
  /** history[index] > history[index − 1]. */
  index: number;
  before: number;
  after: number;
}

/**
 * The first t with history[t] > history[t − 1] (beyond a relative slack for rounding), or a
 * non-finite entry; undefined when the history never rises.
 *
 * @example
 * firstRise([1, 0.8, 0.81, 0.5]) // returns { index: 2, before: 0.8, after: 0.81 }
 */
export function firstRise(history: number[], rtol = 1e-12): Rise | undefined {
  for (let t = 1; t < history.length; t++) {
    const before = history[t - 1];
    const after = history[t];
    if (!Number.isFinite(after) || after > before + rtol * Math.abs(before) + 1e-15) return { index: t, before, after };
  }
  return undefined;
}

/** A value that differs between two copies of the inputs. */
export interface Mutation {
  /** Path of the first changed value, e.g. `opts.w0[1]` or `X[3][0]`. */
  path: string;
  before: unknown;
  after: unknown;
}

function sameNumber(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

/**
 * The first difference between `before` and `after` (plain data: numbers, strings, arrays,
 * objects), depth first, with its path; undefined when they are equal.
 *
 * @example
 * firstMutation({ w0: [1, 2] }, { w0: [1, 5] }, 'opts') // returns { path: 'opts.w0[1]', before: 2, after: 5 }
 */
export function firstMutation(before: unknown, after: unknown, path: string): Mutation | undefined {
  if (Array.isArray(before)) {
    if (!Array.isArray(after) || after.length !== before.length) return { path, before, after };
    for (let i = 0; i < before.length; i++) {
      const inner = firstMutation(before[i], after[i], `${path}[${i}]`);
      if (inner) return inner;
    }
    return undefined;
  }
  if (before !== null && typeof before === 'object') {
    if (after === null || typeof after !== 'object' || Array.isArray(after)) return { path, before, after };
    const keys = new Set([...Object.keys(before), ...Object.keys(after as object)]);
    for (const key of keys) {
      const inner = firstMutation((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], `${path}.${key}`);
      if (inner) return inner;
    }
    return undefined;
  }
  return sameNumber(before, after) ? undefined : { path, before, after };
}

function show(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return value === undefined ? 'missing' : JSON.stringify(value) ?? String(value);
}

/**
 * One sentence naming the changed input and its values (for messages).
 *
 * @example
 * describeMutation({ path: 'opts.w0[1]', before: 2, after: 5 }) // returns "opts.w0[1] was 2 before the call and 5 after it"
 */
export function describeMutation(mutation: Mutation): string {
  return `${mutation.path} was ${show(mutation.before)} before the call and ${show(mutation.after)} after it`;
}

/**
 * Explains how an input came to be modified, from the path of the change (no values).
 *
 * @example
 * diagnoseMutation({ path: 'opts.w0[0]', before: 0.1, after: 0.4 }) // returns "You updated opts.w0 in place: …"
 */
export function diagnoseMutation(mutation: Mutation): string {
  const root = /^opts\.(\w+)/.exec(mutation.path)?.[1];
  if (root && /^opts\.\w+$/.test(mutation.path) && !Array.isArray(mutation.before)) return `You assigned a new value to opts.${root}: treat the options as read-only and keep your own variables.`;
  if (root === 'w0' || root === 'b0' || root === 'W0') {
    const alias = root === 'W0' ? '`const W = opts.W0`, or `opts.W0.slice()`, which copies the outer array but shares its rows' : root === 'b0' ? '`const b = opts.b0`' : '`const w = opts.w0`';
    const copy = root === 'W0' ? 'const W = opts.W0.map((row) => row.slice())' : root === 'b0' ? 'const b = opts.b0.slice()' : 'const w = opts.w0.slice()';
    return `You updated opts.${root} in place: assigning an array (${alias}) does not copy it — it gives the caller's array a second name, so every update also changes the caller's initial parameters. Copy first: \`${copy}\`.`;
  }
  if (root) return `You changed opts.${root}: treat the options as read-only.`;
  if (/^X\b/.test(mutation.path)) return 'You modified X: do not normalise, shuffle or extend the caller\'s data in place — build a new array (e.g. X.map((row) => …)) and leave X as it was.';
  if (/^[yY]\b/.test(mutation.path)) return 'You modified the labels: leave the caller\'s y / Y as they were and build new arrays if you need to transform them.';
  return 'Your trainer modified one of its inputs: copy what you need to change.';
}
