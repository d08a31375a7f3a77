/**
 * Messages in the student's language. Suites are written once, with the assignment's export names
 * (`mseGrad(yTrue, yPred)`) and JavaScript's words (`Array.from(…)`, `opts.w0`): plans are computed
 * at declaration and shared by every submission of a batch. A Python submission's results are
 * rewritten here, in one place, when its run completes: export names become its Python names
 * (`mse_grad`), other camelCase identifiers (argument names) become snake_case (`y_true`), and
 * JavaScript advice becomes Python advice. The student's own words in a message (marked with
 * src/verbatim.ts: what their code raised or returned, names it defines) are left as they are.
 *
 * Check ids and `function` (the export name) are never rewritten: they are the stable keys of
 * gradebooks, overrides and class statistics, the same for a TypeScript and a Python twin.
 */
import type { Language } from '../assignments/spec';
import type { LoadOutcome, TestDetails, TestResult, CheckMeta } from '../types';
import { rewriteOutsideVerbatim, unmark } from '../verbatim';
import { snakeCase } from '../sandbox/python/names';

/** One rewriting rule: a pattern and what replaces it (a string with `$1`…, or a function). */
type Rule = [RegExp, string | ((...match: string[]) => string)];

/**
 * JavaScript words and code in grader messages → Python, most specific first. Applied to the
 * grader's words only (never inside verbatim spans).
 */
const PYTHON_RULES: readonly Rule[] = [
  // Training: copying the initial parameters instead of aliasing them (trainingDiagnosis.ts).
  [
    /`const W = opts\.W0`, or `opts\.W0\.slice\(\)`, which copies the outer array but shares its rows/g,
    '`W = opts["W0"]`, or `list(opts["W0"])`, which copies the outer list but shares its rows',
  ],
  [/`const (w|b) = opts\.(w0|b0)`/g, '`$1 = opts["$2"]`'],
  [/const W = opts\.W0\.map\(\(row\) => row\.slice\(\)\)/g, 'W = np.array(opts["W0"], dtype=float)'],
  [/const (w|b) = opts\.(w0|b0)\.slice\(\)/g, '$1 = np.array(opts["$2"], dtype=float)'],
  [/build a new array \(e\.g\. X\.map\(\(row\) => …\)\)/g, 'build a new array (e.g. np.asarray(X, dtype=float) and new values from it)'],
  // Interface: inputs written into (functionEvaluators.ts).
  [/\(e\.g\. (\w+)\.map\(…\) or a copy made with \.slice\(\)\)/g, '(e.g. np.asarray($1, dtype=float) * …, or a copy made with list($1) or np.array($1))'],
  [/\bassigning an array\b/g, 'assigning a list'],
  // JavaScript library calls in hints.
  [/\bArray\.from\(…\)/g, 'np.asarray(…) or list(…)'],
  [/\(Math\.log1p\)/g, '(np.log1p, or math.log1p for one number)'],
  [/\bMath\.(\w+)\b/g, 'np.$1'],
  [/\bprocess\.exit\((-?\d*)\)/g, (_m, code: string) => `sys.exit(${code})`],
  // What a function must return (submission.ts, shapes.ts, trainerResult.ts).
  [/return plain numbers and arrays, synchronously\./g, 'return floats, lists or NumPy arrays from a plain def (not a generator, not async def).'],
  [/expected plain numbers\./g, 'expected floats, lists or NumPy arrays.'],
  [/\ba plain array of (\d+) numbers\b/g, 'a list (or 1-D NumPy array) of $1 floats'],
  [/\ba (\d+)×(\d+) array of arrays of numbers \(one row per sample\)/g, 'a $1×$2 list of lists (or 2-D NumPy array) of floats (one row per sample)'],
  [/\{ (w|W): ([^{},]+), b: ([^{},]+), history: ([^{}]+) \}/g, '{"$1": $2, "b": $3, "history": $4}'],
  [/\ba plain (number|array)\b/g, (_m, what: string) => (what === 'number' ? 'a float' : 'a list')],
  [/\bplain numbers\b/g, 'floats'],
  [/\ban array of numbers\b/g, 'a list of floats'],
  [/\b(\d+|epochs \+ 1 = \d+) numbers\b/g, '$1 floats'],
  [/\ba number\b/g, 'a float'],
  [/\ban array\b/g, 'a list'],
  [/\bthe caller's array\b/g, "the caller's list"],
  [/\bnew arrays\b/g, 'new lists'],
  [/\bthe input arrays\b/g, 'the input lists'],
  [/\barray of arrays\b/g, 'list of lists'],
  [/\ban object with keys \{/g, 'a dict with keys {'],
  [/\ban empty object\b/g, 'an empty dict'],
  [/\bmust be an object\b/g, 'must be a dict'],
  [/\breturned null\b/g, 'returned None (did the function forget to return?)'],
  [/\bnull\b/g, 'None'],
  [/\ba boolean (true|false)\b/g, (_m, value: string) => `a bool ${value === 'true' ? 'True' : 'False'}`],
  [/\bthrew\b/g, 'raised'],
  [/\bthrows\b/g, 'raises'],
  // Options are a dict in Python: opts.lr → opts["lr"].
  [/\bopts\.(\w+)/g, 'opts["$1"]'],
];

/** camelCase identifiers (a lower-case start and at least one capital): export and argument names. */
const CAMEL = /\b[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+\b/g;

/**
 * Rewrites one text of a Python submission's result (see the file comment); marks are removed.
 *
 * @example
 * pythonText('mseGrad(yTrue, yPred) returned a Float64Array… Array.from(…)', { mseGrad: 'mse_grad' })
 * // returns 'mse_grad(y_true, y_pred) returned a Float64Array… np.asarray(…) or list(…)'
 */
export function pythonText(text: string, names: Readonly<Record<string, string>>): string {
  return rewriteOutsideVerbatim(text, (part) => {
    let out = part;
    for (const [pattern, replacement] of PYTHON_RULES) out = out.replace(pattern, replacement as string);
    return out.replace(CAMEL, (word) => names[word] ?? snakeCase(word));
  });
}

/** A name (argument name, input label) in the student's language. */
function pythonName(name: string, names: Readonly<Record<string, string>>): string {
  return names[name] ?? (/^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/.test(name) ? snakeCase(name) : name);
}

/** The texts of a suite run's record, each rewritten by `text`. */
export interface RecordTexts {
  declared: CheckMeta[];
  tests: TestResult[];
  load: LoadOutcome;
  notes?: string[];
}

function details(d: TestDetails | undefined, text: (s: string) => string, names: Readonly<Record<string, string>> | undefined): TestDetails | undefined {
  if (!d) return d;
  const out: TestDetails = { ...d };
  if (d.diagnosis !== undefined) out.diagnosis = text(d.diagnosis);
  if (d.comparison) {
    const renamed = (inputs: Record<string, unknown>) => Object.fromEntries(Object.entries(inputs).map(([k, v]) => [pythonName(k, names ?? {}), v]));
    const inputs = d.comparison.inputs && names ? renamed(d.comparison.inputs) : d.comparison.inputs;
    out.comparison = { ...d.comparison, call: text(d.comparison.call), ...(inputs ? { inputs } : {}) };
  }
  if (d.curves) out.curves = d.curves.map((curve) => ({ ...curve, label: text(curve.label) }));
  return out;
}

/**
 * A run's record in the student's `language`: for Python, every message, diagnosis, check name,
 * call and note rewritten with `names` (export name → Python name); for every language, the
 * verbatim marks removed. Ids and `function` stay.
 */
export function inStudentLanguage<R extends RecordTexts>(record: R, language: Language | undefined, names: Readonly<Record<string, string>> = {}): R {
  const python = language === 'python';
  const text = (s: string) => (python ? pythonText(s, names) : unmark(s));
  const meta = <M extends CheckMeta>(m: M): M => ({ ...m, name: text(m.name) });
  const tests = record.tests.map((t) => {
    const rewritten: TestResult = { ...meta(t), message: text(t.message) };
    if (t.diagnosis !== undefined) rewritten.diagnosis = text(t.diagnosis);
    const d = details(t.details, text, python ? names : undefined);
    if (d) rewritten.details = d;
    return rewritten;
  });
  const load: LoadOutcome = record.load.status === 'failed' ? { ...record.load, message: text(record.load.message) } : record.load;
  return {
    ...record,
    declared: record.declared.map(meta),
    tests,
    load,
    ...(record.notes ? { notes: record.notes.map(text) } : {}),
  };
}
