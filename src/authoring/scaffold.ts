/**
 * `mlgrade new <name>`: scaffolds an assignment with one example loss (Huber) so that an
 * instructor sees the whole path: a reference function, a spec, a few lines of suite that
 * get interface, accuracy, gradient (reference + finite differences) and stability checks, a
 * handout, a starter and a correct example. Run `npm run build`, then `mlgrade validate <name>`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../paths';

export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';
}

const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The files of a new assignment, relative to the package root. Pure: nothing is written. */
export function scaffoldFiles(name: string): Record<string, string> {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new ScaffoldError(`mlgrade new: the name must be lower-case letters, digits and dashes, starting with a letter (got "${name}")`);
  const id = camel(name);
  const huber = `/**
 * Huber loss with δ = 1: mean over samples of ½r² where |r| ≤ 1, else |r| − ½ (r = yPred − yTrue).
 *
 * @example
 * huber([0, 0], [0.5, 3]) // returns (0.125 + 2.5) / 2 = 1.3125
 */
export function huber(yTrue: number[], yPred: number[]): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const r = Math.abs(yPred[i] - yTrue[i]);
    sum += r <= 1 ? 0.5 * r * r : r - 0.5;
  }
  return sum / yTrue.length;
}

/** ∂huber/∂yPred = clip(r, −1, 1) / N. */
export function huberGrad(yTrue: number[], yPred: number[]): number[] {
  return yPred.map((p, i) => Math.max(-1, Math.min(1, p - yTrue[i])) / yTrue.length);
}
`;
  return {
    [`assignments/${name}/assignment.json`]: JSON.stringify({ id: name, title: `${name}: Huber loss and its gradient`, entry: id, exports: ['huber', 'huberGrad'], grader: name, limits: { callTimeoutMs: 2000, memoryMb: 256 }, allowedModules: ['mathjs'] }, null, 2) + '\n',
    [`reference/${id}.ts`]: `/**\n * Reference of the "${name}" assignment (scaffolded by \`mlgrade new\`).\n */\n${huber}`,
    [`graders/${name}/index.ts`]: `/**
 * Grading suite of "${name}". Each loss needs a FunctionSpec; the builders in
 * graders/losses/suite.ts turn it into interface, accuracy, gradient and stability checks.
 */
import * as ref from '../../reference/${id}';
import * as inputs from '../losses/inputs';
import { TOLERANCE, gradientReferenceCheck, gradientSelfCheck, interfaceCheck, valueCheck, type FunctionSpec } from '../losses/suite';
import { defineSuite } from '../lib/runner';

const huber: FunctionSpec = { name: 'huber', argNames: ['yTrue', 'yPred'], reference: ref.huber, shape: () => ({ kind: 'number' }), tolerance: TOLERANCE.loss };
const huberGrad: FunctionSpec = { name: 'huberGrad', argNames: ['yTrue', 'yPred'], reference: ref.huberGrad, shape: (args) => ({ kind: 'vector', length: (args[1] as number[]).length }), tolerance: TOLERANCE.gradient, gradientOf: 'huber' };

export default defineSuite(() => {
  describe('huber', () => {
    interfaceCheck(huber, { label: 'yTrue = [0, 0], yPred = [0.5, 3]', args: [[0, 0], [0.5, 3]] }, { points: 2 });
    valueCheck(huber, 'accuracy.seeded', 'matches the reference on seeded inputs', 'accuracy', inputs.regression(101, 20), { points: 4 });
    valueCheck(huber, 'stability.large', 'is exact for huge residuals', 'stability', { label: 'residuals of ±1e12', args: [[0, 0], [1e12, -1e12]] }, { points: 2, visibility: 'hidden' });
  });

  describe('huberGrad', () => {
    interfaceCheck(huberGrad, { label: 'yTrue = [0, 0], yPred = [0.5, 3]', args: [[0, 0], [0.5, 3]] }, { points: 2 });
    gradientReferenceCheck(huberGrad, 'gradient.reference', 'equals clip(yPred − yTrue, −1, 1)/N', inputs.regression(102, 8), { points: 5 });
    gradientSelfCheck(huberGrad, inputs.regression(103, 6), { points: 5 });
  });
});
`,
    [`assignments/${name}/README.md`]: `# ${name}\n\nImplement \`huber(yTrue, yPred)\` — the mean Huber loss with δ = 1 (½r² for |r| ≤ 1, |r| − ½ beyond) — and its gradient \`huberGrad(yTrue, yPred)\` = clip(yPred − yTrue, −1, 1)/N.\n\nCheck your work with \`npx mlgrade check ${name}\` in the folder holding \`${id}.ts\`.\n`,
    [`assignments/${name}/starter/${id}.ts`]: `/** Mean Huber loss (δ = 1). */\nexport function huber(yTrue: number[], yPred: number[]): number {\n  throw new Error('TODO: implement huber');\n}\n\n/** Gradient of huber with respect to yPred. */\nexport function huberGrad(yTrue: number[], yPred: number[]): number[] {\n  throw new Error('TODO: implement huberGrad');\n}\n`,
    [`assignments/${name}/examples/correct/${id}.ts`]: huber,
  };
}

/** Writes the scaffold under the package root; refuses to overwrite anything. Returns the files. */
export function scaffoldAssignment(name: string, root = packageRoot()): string[] {
  const files = scaffoldFiles(name);
  const existing = Object.keys(files).filter((file) => fs.existsSync(path.join(root, file)));
  if (existing.length) throw new ScaffoldError(`mlgrade new: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}; choose another name`);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return Object.keys(files);
}
