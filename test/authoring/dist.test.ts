import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildStudentKit } from '../../src/authoring/dist';
import { checkAgainstPublicCases } from '../../src/authoring/publicCases';
import { packageRoot } from '../../src/paths';

const readAll = (dir: string): string =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => fs.readFileSync(path.join(d.parentPath, d.name), 'utf8'))
    .join('\n');

describe('buildStudentKit (losses)', () => {
  let kit: string;
  let files: string[];
  beforeAll(async () => {
    kit = fs.mkdtempSync(path.join(os.tmpdir(), 'mlgrade-kit-'));
    ({ files } = await buildStudentKit('losses', kit));
  });

  it('holds the handout, spec, starter, check.md and public cases — nothing else', () => {
    expect(files).toEqual(['README.md', 'assignment.json', 'check.md', 'public-cases.json', 'starter/losses.ts']);
    expect(fs.readFileSync(path.join(kit, 'check.md'), 'utf8')).toContain('npx mlgrade check losses');
  });

  it('contains no reference source, no graders, no hidden tests', () => {
    const text = readAll(kit);
    // Distinctive identifiers of reference/ and graders/.
    for (const needle of ['LOSSES_REFERENCE', 'assertSameLength', 'assertFiniteEntries', 'sigmoidScalar', 'createRng', 'gradientReferenceCheck', 'valueCheck', 'interfaceCheck', "visibility: 'hidden'"]) {
      expect(text).not.toContain(needle);
    }
    // Hidden test ids and the seeds of hidden cases (seed 11, regression(21, 30), …).
    for (const needle of ['accuracy.seeded', 'gradient.seeded', 'seeded-binary', 'seeded-multiclass', 'seed 11', 'seed 21', 'seed 34', 'seed 64', 'seed 72']) {
      expect(text).not.toContain(needle);
    }
    const cases = JSON.parse(fs.readFileSync(path.join(kit, 'public-cases.json'), 'utf8'));
    expect(JSON.stringify(cases).toLowerCase()).not.toContain('hidden');
    expect(JSON.stringify(cases).toLowerCase()).not.toContain('seed');
  });

  it('checks a correct submission against public-cases.json without the reference', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const correct = require(path.join(packageRoot(), 'assignments/losses/examples/correct-commonjs/losses.js'));
    const result = checkAgainstPublicCases(kit, correct);
    expect(result.failed).toBe(0);
    expect(result.passed).toBeGreaterThanOrEqual(13);
  });

  it('flags a wrong submission', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const correct = require(path.join(packageRoot(), 'assignments/losses/examples/correct-commonjs/losses.js'));
    const wrong = { ...correct, mseGrad: (y: number[], p: number[]) => correct.mseGrad(y, p).map((g: number) => g * y.length), softmax: undefined };
    const result = checkAgainstPublicCases(kit, wrong);
    const failed = result.outcomes.filter((o) => !o.ok).map((o) => o.function);
    expect(failed).toEqual(expect.arrayContaining(['mseGrad', 'softmax']));
    expect(result.outcomes.find((o) => o.function === 'softmax')!.message).toMatch(/not exported/);
  });
});
