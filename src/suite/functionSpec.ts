/**
 * How a suite describes one numeric function of an assignment (a loss, its gradient, an
 * activation…): its name, argument names, reference, result shape and tolerance. The builders in
 * ./functionChecks turn one description into interface, accuracy, gradient and stability checks.
 */
import type { Tolerance } from './closeness';
import type { InputDomain } from './diagnosis';
import type { Numeric, Shape } from './shapes';

/**
 * A known wrong formula for a function: its value is computed at declaration for each case and
 * stored in the plan; when a submission returns exactly that value (and the right answer differs),
 * `hint` is the diagnosis — a measured match, not a guess.
 *
 * @example
 * { hint: 'You returned the gradient with respect to the logits, (p − y)/N …', value: ([y, p]) => … }
 */
export interface MistakeSpec {
  hint: string;
  value: (args: unknown[]) => Numeric;
  /** Where the mistake can change the answer at all (default: everywhere); elsewhere it is not computed. */
  when?: (args: unknown[]) => boolean;
}

/**
 * Tolerated clipping of a probability argument into [ε, 1 − ε] (as Keras does): at inputs where
 * clipping at `epsilon` changes the answer, a result between the exact one and the clipped one
 * passes; clipping at each larger ε of `probes` is recognised in a failure's hint.
 */
export interface ClippingSpec {
  /** Index of the probability argument. */
  arg: number;
  /** Largest tolerated ε (e.g. 1e-7, Keras' default). */
  epsilon: number;
  /** Larger ε values to recognise (default 1e-6 … 1e-2). */
  probes?: number[];
}

/** One call's arguments with a label for messages, e.g. `seeded, N = 8 (seed 22)`. */
export interface Case {
  label: string;
  args: unknown[];
}

/**
 * One exported function of an assignment.
 *
 * @example
 * const huber: FunctionSpec = {
 *   name: 'huber', argNames: ['yTrue', 'yPred'], reference: ref.huber,
 *   shape: () => ({ kind: 'number' }), tolerance: TOLERANCE.loss,
 * };
 */
export interface FunctionSpec {
  /** The export name students use. */
  name: string;
  /** Argument names, for messages (`mse(yTrue, yPred)`). */
  argNames: string[];
  /** The reference implementation (runs in the grader, never in the kit). */
  reference: (...args: never[]) => Numeric;
  /** Shape of the result for given arguments. */
  shape: (args: unknown[]) => Shape;
  tolerance: Tolerance;
  /** For a gradient: the name of the loss it differentiates (for finite differences). */
  gradientOf?: string;
  /** For a gradient: the reference of that loss, so a message can say when the loss is wrong too. */
  lossReference?: (...args: never[]) => number;
  /** For a gradient: the tolerance of that loss's own value checks (default rtol 1e-5, atol 1e-5). */
  lossTolerance?: Tolerance;
  /** For a gradient with respect to logits: σ′(z) per element, for the slope diagnosis. */
  sigmoidSlope?: (args: unknown[]) => number[];
  /** For an activation whose rows are distributions (softmax): enables the wrong-axis diagnosis. */
  rowsSumToOne?: boolean;
  /** What the last argument holds, so that a NaN or Infinity can be explained by the input. */
  domain?: InputDomain;
  /** Known wrong formulas, recognised exactly in failures. */
  mistakes?: MistakeSpec[];
  /** Clipping of a probability argument that is tolerated. */
  clipping?: ClippingSpec;
}

/** The reference value of `spec` at `args` (the arguments are not modified by references). */
export function referenceValue(spec: FunctionSpec, args: unknown[]): Numeric {
  return (spec.reference as (...a: unknown[]) => Numeric)(...args);
}

/** `mse(yTrue, yPred)`. */
export function callText(spec: Pick<FunctionSpec, 'name' | 'argNames'>): string {
  return `${spec.name}(${spec.argNames.join(', ')})`;
}

/** Named inputs for result.json: `{ yTrue: …, yPred: … }`. */
export function namedInputs(argNames: readonly string[], args: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(argNames.map((name, i) => [name, args[i]]));
}

/** Number of samples (rows) of a case: the length of its first argument. */
export function samplesOf(args: readonly unknown[]): number {
  const first = args[0];
  return Array.isArray(first) ? first.length : 1;
}

/** Number of classes (columns) of a case, when an argument is a matrix; else undefined. */
export function classesOf(args: readonly unknown[]): number | undefined {
  for (const arg of args) if (Array.isArray(arg) && Array.isArray(arg[0])) return (arg[0] as unknown[]).length;
  return undefined;
}

/**
 * A result shape "like argument `index`": a vector of its length, or a matrix of its rows and columns.
 *
 * @example
 * likeArgument(1)([[1, 0], [0.5, 0.2]]) // returns { kind: 'vector', length: 2 }
 */
export function likeArgument(index: number): (args: unknown[]) => Shape {
  return (args) => {
    const value = args[index] as number[] | number[][];
    return Array.isArray(value[0]) ? { kind: 'matrix', rows: value.length, cols: (value[0] as number[]).length } : { kind: 'vector', length: value.length };
  };
}

/** A scalar result shape. */
export const scalarShape = (): Shape => ({ kind: 'number' });
