/**
 * Export names (the grader's camelCase: `mseGrad`) → Python names (PEP 8 snake_case: `mse_grad`).
 *
 * Three steps, the same ones runner.py applies when it binds a module's names:
 *  1. the name the grader asks for: the assignment's explicit override, else {@link snakeCase};
 *  2. resolution against what the module defines: that exact name, else the export name itself
 *     (a student who kept `mseGrad`), else the one name that is equal ignoring case and
 *     underscores (`MSE_grad`, `msegrad`) and not already taken;
 *  3. otherwise "not found", with close names for the message ({@link closeNames}).
 */

/**
 * PEP 8 name of a camelCase export name: `([A-Z]+)([A-Z][a-z])` → `$1_$2`, then
 * `([a-z\d])([A-Z])` → `$1_$2`, then lower case (change-case's `snakeCase` gives the same on
 * ordinary names; digits stay attached to the word before them).
 *
 * @example snakeCase('mseGrad') // returns 'mse_grad'
 * @example snakeCase('computeMSE') // returns 'compute_mse'
 * @example snakeCase('conv2dForward') // returns 'conv2d_forward'
 * @example snakeCase('LModelForward') // returns 'l_model_forward'
 */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** A name with case and underscores removed: what step 2's last rule compares. */
export function foldName(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

const PYTHON_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The Python names to ask the runner for, or why they cannot be used. */
export type PythonNames =
  | { status: 'ok'; /** export name → Python name */ names: Record<string, string> }
  | { status: 'invalid'; problem: string };

/**
 * The Python name for each export: `overrides[name]` where the assignment gives one, else
 * {@link snakeCase}. Rejects overrides of unknown exports, overrides that are not Python
 * identifiers, and two export names that would map to one Python name (`computeMSE` and
 * `computeMse` both give `compute_mse`).
 *
 * @example pythonNames(['mseGrad', 'trainBinary']) // returns { status: 'ok', names: { mseGrad: 'mse_grad', trainBinary: 'train_binary' } }
 */
export function pythonNames(exportNames: readonly string[], overrides: Readonly<Record<string, string>> = {}): PythonNames {
  for (const [exportName, pythonName] of Object.entries(overrides)) {
    if (!exportNames.includes(exportName)) {
      const problem = `the Python name override for "${exportName}" names no export of this assignment (exports: ${exportNames.join(', ')})`;
      return { status: 'invalid', problem };
    }
    if (!PYTHON_IDENTIFIER.test(pythonName)) {
      const problem = `the Python name override "${pythonName}" for ${exportName} is not a Python identifier (letters, digits and _; not starting with a digit)`;
      return { status: 'invalid', problem };
    }
  }
  const names: Record<string, string> = {};
  const owner = new Map<string, string>();
  for (const exportName of exportNames) {
    const pythonName = overrides[exportName] ?? snakeCase(exportName);
    const other = owner.get(pythonName);
    if (other !== undefined) {
      return {
        status: 'invalid',
        problem: `${other} and ${exportName} would both be the Python function ${pythonName}: give one of them an explicit Python name`,
      };
    }
    owner.set(pythonName, exportName);
    names[exportName] = pythonName;
  }
  return { status: 'ok', names };
}

/** How one export name was (or was not) found in a Python module. */
export type NameResolution =
  | { status: 'found'; pythonName: string; how: 'exact' | 'export-name' | 'folded' }
  | { status: 'ambiguous'; candidates: string[] }
  | { status: 'missing'; close: string[] };

/** What a loaded module offers: every top-level name, and the ones the submission defines itself. */
export interface ModuleNames {
  /** Every name in the module's namespace (imports and private names included). */
  all: readonly string[];
  /** Public names the submission defines itself (runner.py's `defined`): fuzzy matches come only from these. */
  defined: readonly string[];
}

/**
 * Step 2 and 3 for every export at once (runner.py's `resolve_names` applies the same rules, so
 * this explains its `resolved` map and words the missing ones). Exact names and export names
 * first; a folded match only when it is the only candidate, no exact match took it, and no other
 * export wants it too.
 */
export function resolvePythonNames(requested: Readonly<Record<string, string>>, module: ModuleNames): Record<string, NameResolution> {
  const all = new Set(module.all);
  const result: Record<string, NameResolution> = {};
  for (const [exportName, pythonName] of Object.entries(requested)) {
    if (all.has(pythonName)) result[exportName] = { status: 'found', pythonName, how: 'exact' };
    else if (all.has(exportName)) result[exportName] = { status: 'found', pythonName: exportName, how: 'export-name' };
  }
  const taken = new Set(Object.values(result).map((r) => (r.status === 'found' ? r.pythonName : '')));
  const candidates = new Map<string, string[]>();
  const defined = [...module.defined].sort(compareCodePoints);
  for (const [exportName, pythonName] of Object.entries(requested)) {
    if (result[exportName]) continue;
    const keys = new Set([foldName(exportName), foldName(pythonName)]);
    candidates.set(exportName, defined.filter((name) => keys.has(foldName(name)) && !taken.has(name)));
  }
  const wantedBy = new Map<string, number>();
  for (const names of candidates.values()) for (const name of names) wantedBy.set(name, (wantedBy.get(name) ?? 0) + 1);
  for (const [exportName, names] of candidates) {
    if (names.length === 1 && wantedBy.get(names[0]) === 1) {
      result[exportName] = { status: 'found', pythonName: names[0], how: 'folded' };
    } else if (names.length > 0) {
      result[exportName] = { status: 'ambiguous', candidates: names };
    } else {
      result[exportName] = { status: 'missing', close: closeNames(requested[exportName], defined) };
    }
  }
  return result;
}

/**
 * One line for a student about an export that was not found (or not uniquely).
 *
 * @example missingNameMessage('mseGrad', 'mse_grad', { status: 'missing', close: ['mse_gradient'] })
 * // returns 'mse_grad is not defined (also looked for mseGrad and names that differ only in case or underscores); did you mean mse_gradient?'
 */
export function missingNameMessage(exportName: string, pythonName: string, resolution: NameResolution): string {
  if (resolution.status === 'found') return `${exportName} is ${resolution.pythonName}`;
  if (resolution.status === 'ambiguous') {
    const candidates = listWords(resolution.candidates, 'and');
    return `${pythonName} is not defined, and ${candidates} all match it ignoring case and underscores: name the function ${pythonName}`;
  }
  const also = exportName === pythonName ? '' : ` (also looked for ${exportName} and names that differ only in case or underscores)`;
  const hint = resolution.close.length ? `; did you mean ${listWords(resolution.close, 'or')}?` : '';
  return `${pythonName} is not defined${also}${hint}`;
}

function listWords(words: readonly string[], last: 'and' | 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1]}`;
}

/** JavaScript's default string order is by UTF-16 code unit; Python's by code point. Same for BMP names. */
function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Python's `difflib.get_close_matches(word, candidates, n, cutoff)` (Ratcliff/Obershelp ratio ≥
 * cutoff, best first, ties by name descending), compared case-insensitively.
 *
 * @example closeNames('mse_grad', ['mse_gradient', 'sigmoid']) // returns ['mse_gradient']
 */
export function closeNames(word: string, candidates: readonly string[], n = 3, cutoff = 0.6): string[] {
  const target = word.toLowerCase();
  const scored: { score: number; name: string }[] = [];
  for (const name of new Set(candidates)) {
    const score = similarity(name.toLowerCase(), target);
    if (score >= cutoff) scored.push({ score, name });
  }
  scored.sort((x, y) => y.score - x.score || compareCodePoints(y.name, x.name));
  return scored.slice(0, n).map((s) => s.name);
}

/** difflib.SequenceMatcher(None, a, b).ratio() for short strings (no junk, no autojunk). */
export function similarity(a: string, b: string): number {
  const total = a.length + b.length;
  if (total === 0) return 1;
  return (2 * matchedCharacters(a, b)) / total;
}

/** Characters in difflib's matching blocks: the longest common run, then recursively left and right of it. */
function matchedCharacters(a: string, b: string): number {
  const positions = new Map<string, number[]>();
  for (let j = 0; j < b.length; j++) {
    const list = positions.get(b[j]);
    if (list) list.push(j);
    else positions.set(b[j], [j]);
  }
  let matched = 0;
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop()!;
    const [i, j, k] = longestMatch(a, positions, alo, ahi, blo, bhi);
    if (k === 0) continue;
    matched += k;
    if (alo < i && blo < j) queue.push([alo, i, blo, j]);
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
  }
  return matched;
}

/** difflib's find_longest_match without junk: earliest in a, then earliest in b, among the longest. */
function longestMatch(a: string, positions: Map<string, number[]>, alo: number, ahi: number, blo: number, bhi: number): [number, number, number] {
  let besti = alo;
  let bestj = blo;
  let bestsize = 0;
  let lengths = new Map<number, number>();
  for (let i = alo; i < ahi; i++) {
    const next = new Map<number, number>();
    for (const j of positions.get(a[i]) ?? []) {
      if (j < blo) continue;
      if (j >= bhi) break;
      const k = (lengths.get(j - 1) ?? 0) + 1;
      next.set(j, k);
      if (k > bestsize) {
        besti = i - k + 1;
        bestj = j - k + 1;
        bestsize = k;
      }
    }
    lengths = next;
  }
  return [besti, bestj, bestsize];
}
