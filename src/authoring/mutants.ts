/**
 * Automatic mutants for `mlgrade validate`: for every exported function of any assignment, the
 * reference with one classic mistake applied to what the function returns — scaled by N (a sum
 * instead of a mean), by N/(N − 1), ×2, ½, negated, off by a relative 10⁻³, or NaN at extreme
 * inputs. A good suite gives each of them less than full marks.
 *
 * A mutant whose mistake never changed a returned value (a ×N mutant of a function only ever
 * called with N = 1, NaN at extremes when no check uses an extreme input) cannot be caught: the
 * mutant prints a marker the first time its mistake changes a value, and validate reads it from
 * the captured output to tell "missed" from "not exercised".
 *
 * Mutants are plain CommonJS source: the entry file wraps the reference bundle (`./reference.js`,
 * placed next to it), so the sandbox reads nothing outside the mutant's folder.
 */

/** Printed (once) by a mutant when its mistake changed a returned value. */
export const EXERCISED_MARKER = 'mlgrade-mutant-exercised';

export type AutomaticMutation = 'times-n' | 'times-n-over-n-minus-1' | 'times-2' | 'half' | 'negated' | 'off-by-epsilon' | 'nan-at-extremes';

/** What each automatic mutation does, for the report. */
export const AUTOMATIC_MUTATIONS: Readonly<Record<AutomaticMutation, string>> = {
  'times-n': 'every number it returns multiplied by N (a sum instead of a mean)',
  'times-n-over-n-minus-1': 'every number it returns multiplied by N/(N − 1) (dividing by N − 1 instead of N)',
  'times-2': 'every number it returns doubled (a stray factor 2)',
  half: 'every number it returns halved (the ½ convention)',
  negated: 'every number it returns negated (a flipped sign)',
  'off-by-epsilon': 'every number it returns off by a relative 10⁻³',
  'nan-at-extremes': 'NaN instead of its values when an input is extreme (|x| ≥ 100, or a probability of exactly 0 or 1)',
};

/**
 * The transformation of each mutation, as JavaScript source of `(value, N, extreme) → value`
 * applied to every number of the result (`extreme`: the call's inputs are extreme).
 */
const NUMBER_TRANSFORMS: Readonly<Record<AutomaticMutation, string>> = {
  'times-n': '(x, n) => x * n',
  'times-n-over-n-minus-1': '(x, n) => (n > 1 ? (x * n) / (n - 1) : x)',
  'times-2': '(x) => x * 2',
  half: '(x) => x / 2',
  negated: '(x) => -x',
  'off-by-epsilon': '(x) => x * (1 + 1e-3)',
  'nan-at-extremes': '(x, n, extreme) => (extreme ? NaN : x)',
};

/**
 * The entry file of an automatic mutant of `fn`: the reference (`./reference.js`) with
 * `mutation` applied to every number `fn` returns (inside arrays and plain objects too).
 *
 * @example
 * automaticMutantSource('mseGrad', 'times-n') // returns "'use strict'; … module.exports = M;"
 */
export function automaticMutantSource(fn: string, mutation: AutomaticMutation): string {
  return `'use strict';
// mlgrade automatic mutant: ${fn} — ${AUTOMATIC_MUTATIONS[mutation]}
const R = require('./reference.js');
const M = Object.assign({}, R);
const transform = ${NUMBER_TRANSFORMS[mutation]};
let reported = false;
const samples = (args) => (Array.isArray(args[0]) ? args[0].length : 1);
const numbers = (value, out) => {
  if (typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => numbers(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => numbers(v, out));
  return out;
};
const isExtreme = (args) => args.some((arg) => {
  const xs = numbers(arg, []);
  if (xs.some((x) => !Number.isFinite(x) || Math.abs(x) >= 100)) return true;
  const probabilities = xs.length > 0 && xs.every((x) => x >= 0 && x <= 1) && xs.some((x) => !Number.isInteger(x));
  return probabilities && xs.some((x) => x === 0 || x === 1);
});
const mutate = (value, n, extreme) => {
  if (typeof value === 'number') {
    const changed = transform(value, n, extreme);
    if (!Object.is(changed, value) && !reported) {
      reported = true;
      console.log(${JSON.stringify(EXERCISED_MARKER)});
    }
    return changed;
  }
  if (Array.isArray(value)) return value.map((v) => mutate(v, n, extreme));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mutate(v, n, extreme)]));
  return value;
};
const original = R[${JSON.stringify(fn)}];
if (typeof original === 'function') {
  M[${JSON.stringify(fn)}] = function (...args) {
    return mutate(original.apply(this, args), samples(args), isExtreme(args));
  };
}
module.exports = M;
`;
}

/**
 * The entry file of an author's mutant `name` from the assignment's mutants module (bundled as
 * `./mutants.js` next to `./reference.js`).
 */
export function authorMutantSource(name: string): string {
  return `'use strict';
// mlgrade author mutant: ${name}
const R = require('./reference.js');
const loaded = require('./mutants.js');
const mutants = loaded.default || loaded;
const mutant = mutants.find((m) => m.name === ${JSON.stringify(name)});
module.exports = mutant.mutate(R);
`;
}

/** The same transformations in Python, `(x, n, extreme) → x`. */
const PYTHON_TRANSFORMS: Readonly<Record<AutomaticMutation, string>> = {
  'times-n': 'lambda x, n, extreme: x * n',
  'times-n-over-n-minus-1': 'lambda x, n, extreme: (x * n) / (n - 1) if n > 1 else x',
  'times-2': 'lambda x, n, extreme: x * 2',
  half: 'lambda x, n, extreme: x / 2',
  negated: 'lambda x, n, extreme: -x',
  'off-by-epsilon': 'lambda x, n, extreme: x * (1 + 1e-3)',
  'nan-at-extremes': 'lambda x, n, extreme: float("nan") if extreme else x',
};

/** The module name a Python mutant imports the correct example as (its entry file is renamed to it). */
export const PYTHON_REFERENCE_MODULE = '_mlgrade_reference';

/**
 * The entry file of an automatic mutant of `fn` for Python: a correct Python example (its entry
 * renamed to `_mlgrade_reference.py` beside this file) with `mutation` applied to every number
 * its function returns — floats, NumPy scalars and arrays, inside lists, tuples and dicts — the
 * same seven mutations as {@link automaticMutantSource}. The function is found as the grader finds
 * it: its Python name, else the export name, else the one name equal ignoring case and underscores.
 *
 * @example
 * automaticPythonMutantSource('mseGrad', 'mse_grad', 'times-n') // returns '# mlgrade automatic mutant: mseGrad — …'
 */
export function automaticPythonMutantSource(fn: string, pythonName: string, mutation: AutomaticMutation): string {
  return `# mlgrade automatic mutant: ${fn} — ${AUTOMATIC_MUTATIONS[mutation]}
import math as _math
import ${PYTHON_REFERENCE_MODULE} as _R
from ${PYTHON_REFERENCE_MODULE} import *  # noqa: F401,F403 (every other function as the example has it)

try:
    import numpy as _np
except ImportError:
    _np = None

_transform = ${PYTHON_TRANSFORMS[mutation]}
_reported = [False]


def _same(a, b):
    return (a != a and b != b) or (a == b and _math.copysign(1.0, a) == _math.copysign(1.0, b))


def _numbers(value, out):
    if _np is not None and isinstance(value, _np.ndarray):
        value = value.tolist()
    if isinstance(value, bool):
        return out
    if isinstance(value, (int, float)) or (_np is not None and isinstance(value, _np.number)):
        out.append(float(value))
    elif isinstance(value, (list, tuple)):
        for item in value:
            _numbers(item, out)
    elif isinstance(value, dict):
        for item in value.values():
            _numbers(item, out)
    return out


def _samples(args):
    return len(args[0]) if args and isinstance(args[0], (list, tuple)) else 1


def _extreme(args):
    for arg in args:
        xs = _numbers(arg, [])
        if any(not _math.isfinite(x) or abs(x) >= 100 for x in xs):
            return True
        probabilities = len(xs) > 0 and all(0 <= x <= 1 for x in xs) and any(x != int(x) for x in xs)
        if probabilities and any(x == 0 or x == 1 for x in xs):
            return True
    return False


def _mutate(value, n, extreme):
    if _np is not None and isinstance(value, _np.ndarray):
        value = value.tolist()
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) or (_np is not None and isinstance(value, _np.number)):
        x = float(value)
        changed = _transform(x, n, extreme)
        if not _same(changed, x) and not _reported[0]:
            _reported[0] = True
            print(${JSON.stringify(EXERCISED_MARKER)})
        return changed
    if isinstance(value, (list, tuple)):
        return [_mutate(item, n, extreme) for item in value]
    if isinstance(value, dict):
        return {key: _mutate(item, n, extreme) for key, item in value.items()}
    return value


def _find(names):
    for name in names:
        if callable(getattr(_R, name, None)):
            return getattr(_R, name)
    folded = {name.replace("_", "").lower() for name in names}
    found = [name for name in dir(_R) if name.replace("_", "").lower() in folded and callable(getattr(_R, name))]
    return getattr(_R, found[0]) if len(found) == 1 else None


_original = _find([${JSON.stringify(pythonName)}, ${JSON.stringify(fn)}])

if _original is not None:
    def ${pythonName}(*args):
        return _mutate(_original(*args), _samples(args), _extreme(args))
`;
}
