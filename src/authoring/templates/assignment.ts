/**
 * The files of a new assignment (`mlgrade new <id>`), as text: a Huber loss and its gradient as
 * the pattern to edit — reference, suite (public and hidden checks of every kind), handout,
 * starters and correct examples in TypeScript and Python (submissions may be either), a faulty
 * example, and mutants. Pure: nothing is written here.
 */
import { snakeCase } from '../../sandbox/python/names';

/**
 * The files of assignment `id` whose entry file (and function-name stem) is `entry`, relative to
 * the course folder.
 *
 * @example
 * Object.keys(assignmentFiles('huber', 'huber')) // returns ['assignments/huber/assignment.json', …, 'graders/huber/index.ts', 'reference/huber.ts']
 */
export function assignmentFiles(id: string, entry: string): Record<string, string> {
  const loss = entry;
  const grad = `${entry}Grad`;
  const pyLoss = snakeCase(loss);
  const pyGrad = snakeCase(grad);
  const reference = `/**
 * Reference solution of "${id}" (never given to students). Edit it into your assignment's functions;
 * the suite in graders/${id}/ compares submissions with it.
 *
 * ${loss}: the mean Huber loss with δ = 1 — ½r² where |r| ≤ 1, else |r| − ½, with r = yPred − yTrue.
 *
 * @example
 * ${loss}([0, 0], [0.5, 3]) // returns (0.125 + 2.5) / 2 = 1.3125
 */
export function ${loss}(yTrue: number[], yPred: number[]): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const r = Math.abs(yPred[i] - yTrue[i]);
    sum += r <= 1 ? 0.5 * r * r : r - 0.5;
  }
  return sum / yTrue.length;
}

/** ∂${loss}/∂yPred = clip(yPred − yTrue, −1, 1) / N. */
export function ${grad}(yTrue: number[], yPred: number[]): number[] {
  return yPred.map((p, i) => Math.max(-1, Math.min(1, p - yTrue[i])) / yTrue.length);
}
`;
  const suite = `/**
 * Grading suite of "${id}". Each function is described once (FunctionSpec); the builders of
 * mlgrade/suite turn a description into interface, accuracy, stability, gradient and
 * finite-difference checks. Hidden checks run only when you grade; students see their name and
 * pass/fail. Points add up to 100.
 */
import {
  createRng,
  defineSuite,
  finiteDifferenceCheck,
  gradientCheck,
  interfaceCheck,
  likeArgument,
  scalarShape,
  stabilityCheck,
  tolerancesFor,
  valueCheck,
  type Case,
  type FunctionSpec,
} from 'mlgrade/suite';
import { ${grad}, ${loss} } from '../../reference/${entry}';

const TOLERANCE = tolerancesFor({ loss: { rtol: 1e-5, atol: 1e-8 }, gradient: { rtol: 1e-5, atol: 1e-8 } });

const specs = {
  ${loss}: { name: '${loss}', argNames: ['yTrue', 'yPred'], reference: ${loss}, shape: scalarShape, tolerance: TOLERANCE.loss } satisfies FunctionSpec,
  ${grad}: {
    name: '${grad}',
    argNames: ['yTrue', 'yPred'],
    reference: ${grad},
    shape: likeArgument(1),
    tolerance: TOLERANCE.gradient,
    gradientOf: '${loss}',
    lossReference: ${loss},
  } satisfies FunctionSpec,
};

/** Seeded regression targets and predictions in [-3, 3]: the seed is in the label, so a case can be rebuilt. */
function seeded(seed: number, n: number): Case {
  const rng = createRng(seed);
  return { label: \`seeded, N = \${n} (seed \${seed})\`, args: [rng.vector(n, -3, 3), rng.vector(n, -3, 3)] };
}

const hand = (label: string, ...args: unknown[]): Case => ({ label, args });

export default defineSuite(() => {
  describe('${loss}', () => {
    interfaceCheck(specs.${loss}, hand('yTrue = [0, 0], yPred = [0.5, 3]', [0, 0], [0.5, 3]), { points: 10 });
    valueCheck(specs.${loss}, 'accuracy.hand', 'is ½r² inside |r| ≤ 1 and |r| − ½ outside', 'accuracy', hand('yTrue = [0, 1, 2], yPred = [0.5, 3, 2]', [0, 1, 2], [0.5, 3, 2]), { points: 15 });
    valueCheck(specs.${loss}, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', seeded(101, 20), { points: 15, visibility: 'hidden' });
    stabilityCheck(specs.${loss}, 'stability.large', 'is exact for huge residuals', hand('residuals of ±1e12', [0, 0], [1e12, -1e12]), { points: 10 });
  });

  describe('${grad}', () => {
    interfaceCheck(specs.${grad}, hand('yTrue = [0, 0], yPred = [0.5, 3]', [0, 0], [0.5, 3]), { points: 10 });
    gradientCheck(specs.${grad}, 'gradient.reference', 'equals clip(yPred − yTrue, −1, 1)/N', seeded(102, 8), { points: 15 });
    finiteDifferenceCheck(specs.${grad}, seeded(103, 6), { points: 15 });
    gradientCheck(specs.${grad}, 'gradient.seeded', 'matches the reference on a larger seeded batch', seeded(104, 31), { points: 10, visibility: 'hidden' });
  });
});
`;
  const spec = {
    id,
    title: `${id}: a loss and its gradient`,
    entry,
    exports: [loss, grad],
    grader: id,
    reference: `../../reference/${entry}.ts`,
    limits: { callTimeoutMs: 2000, loadTimeoutMs: 5000, memoryMb: 256 },
    allowedModules: ['mathjs'],
    languages: ['typescript', 'javascript', 'python'],
  };
  const handout = `# ${id}

Implement, in \`${entry}.ts\` (or \`${entry}.js\`), or in Python in \`${entry}.py\` (or a notebook \`${entry}.ipynb\`):

| TypeScript | Python | what |
|---|---|---|
| \`${loss}(yTrue, yPred)\` | \`${pyLoss}(y_true, y_pred)\` | the mean Huber loss with δ = 1: for each sample, with r = yPred − yTrue, ½r² when \\|r\\| ≤ 1, else \\|r\\| − ½; the mean over the N samples |
| \`${grad}(yTrue, yPred)\` | \`${pyGrad}(y_true, y_pred)\` | its gradient with respect to yPred: clip(yPred − yTrue, −1, 1) / N |

Arguments are arrays (in Python: lists of floats); return a number and an array (in Python a float and
a list or a NumPy array). Python may use NumPy and the standard library.

Example: \`${loss}([0, 0], [0.5, 3])\` = (0.125 + 2.5) / 2 = 1.3125.

Check your work with \`node check.mjs\` in your kit folder (it runs the public tests).
`;
  const starter = `/** Mean Huber loss (δ = 1). */
export function ${loss}(yTrue: number[], yPred: number[]): number {
  throw new Error('TODO: implement ${loss}');
}

/** Gradient of ${loss} with respect to yPred. */
export function ${grad}(yTrue: number[], yPred: number[]): number[] {
  throw new Error('TODO: implement ${grad}');
}
`;
  const correct = `export function ${loss}(yTrue: number[], yPred: number[]): number {
  let sum = 0;
  yTrue.forEach((y, i) => {
    const r = Math.abs(yPred[i] - y);
    sum += r <= 1 ? (r * r) / 2 : r - 0.5;
  });
  return sum / yTrue.length;
}

export function ${grad}(yTrue: number[], yPred: number[]): number[] {
  const n = yTrue.length;
  return yPred.map((p, i) => Math.min(1, Math.max(-1, p - yTrue[i])) / n);
}
`;
  const fault = correct.replace(' / n);', ');');
  const pythonStarter = `import numpy as np


def ${pyLoss}(y_true, y_pred):
    \"\"\"Mean Huber loss (δ = 1).\"\"\"
    raise NotImplementedError("TODO: implement ${pyLoss}")


def ${pyGrad}(y_true, y_pred):
    \"\"\"Gradient of ${pyLoss} with respect to y_pred.\"\"\"
    raise NotImplementedError("TODO: implement ${pyGrad}")
`;
  const pythonCorrect = `import numpy as np


def ${pyLoss}(y_true, y_pred):
    r = np.abs(np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float))
    return float(np.mean(np.where(r <= 1, r * r / 2, r - 0.5)))


def ${pyGrad}(y_true, y_pred):
    r = np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)
    return np.clip(r, -1, 1) / len(r)
`;
  const mutants = `/**
 * Mistakes the suite of "${id}" must catch (\`mlgrade validate ${id}\` grades each one; automatic
 * mutants — ×N, ×2, ½, negated, off by ε, NaN at extreme inputs — are added for every function).
 */
import { defineMutants } from 'mlgrade/suite';

type Loss = (yTrue: number[], yPred: number[]) => number;
type Gradient = (yTrue: number[], yPred: number[]) => number[];

export default defineMutants([
  {
    name: 'no-clip',
    description: '${grad} without the clip: the gradient of ½r² everywhere',
    mutate: (R) => ({ ...R, ${grad}: (yTrue: number[], yPred: number[]) => yPred.map((p, i) => (p - yTrue[i]) / yTrue.length) }),
  },
  {
    name: 'squared-everywhere',
    description: '${loss} as ½r² for every residual (the MSE/2, no linear part)',
    mutate: (R) => ({ ...R, ${loss}: (yTrue: number[], yPred: number[]) => yTrue.reduce((s, y, i) => s + 0.5 * (yPred[i] - y) ** 2, 0) / yTrue.length }),
  },
  {
    name: 'sum-not-mean',
    description: '${loss} and ${grad} summed over the samples instead of averaged',
    mutate: (R) => {
      const loss = R.${loss} as Loss;
      const grad = R.${grad} as Gradient;
      return { ...R, ${loss}: (y: number[], p: number[]) => loss(y, p) * y.length, ${grad}: (y: number[], p: number[]) => grad(y, p).map((g) => g * y.length) };
    },
  },
]);
`;
  return {
    [`assignments/${id}/assignment.json`]: JSON.stringify(spec, null, 2) + '\n',
    [`assignments/${id}/README.md`]: handout,
    [`assignments/${id}/starter/${entry}.ts`]: starter,
    [`assignments/${id}/starter/${entry}.py`]: pythonStarter,
    [`assignments/${id}/examples/correct/${entry}.ts`]: correct,
    [`assignments/${id}/examples/correct-python/${entry}.py`]: pythonCorrect,
    [`assignments/${id}/examples/grad-missing-1-over-n/${entry}.ts`]: fault,
    [`assignments/${id}/examples/grad-missing-1-over-n/FAULT.md`]: `# ${grad} without the 1/N\n\n\`${grad}\` returns clip(yPred − yTrue, −1, 1) for every sample, without dividing by N: the gradient of the SUM of the per-sample losses, not of their mean. The gradient checks must fail it with the ×N diagnosis; \`${loss}\` is right and keeps its points.\n`,
    [`assignments/${id}/mutants.ts`]: mutants,
    [`reference/${entry}.ts`]: reference,
    [`graders/${id}/index.ts`]: suite,
  };
}
