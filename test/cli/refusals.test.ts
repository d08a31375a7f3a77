/**
 * A slip on the command line never passes as success: unknown flags and commands, bad numbers,
 * unusable output folders, missing paths, bad assignment overrides and empty bundles each stop
 * the run before anything is graded or written, with one line naming the mistake (and the closest
 * correct spelling), exit code 2 and no stack trace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encryptBundle, packDirectory } from '../../src/authoring/bundle';
import { EXAMPLES, ROOT, readResult, runCli, tempDir } from '../support/cli';
import { expectRefused, freshOut } from '../support/cliErrors';
import { buildZip } from '../grading/zipBuilder';
import { parseCsv } from '../reports/csvParse';

const CORRECT = path.join(EXAMPLES, 'correct');

describe('unknown flags and commands', () => {
  test('a mistyped flag names the flag it meant and grades nothing (a CI gate is never silently off)', () => {
    const out = freshOut();
    const run = expectRefused(['grade', 'losses', CORRECT, '--out', out, '--min-scor', '60'], /unknown option --min-scor .*did you mean --min-score\?/, { untouched: [out] });
    expect(run.line).toContain('mlgrade grade --help');
    expectRefused(['grade', 'losses', CORRECT, '--out', out, '--no-htm'], /unknown option --no-htm .*did you mean --no-html\?/, { untouched: [out] });
    expectRefused(['grade', 'losses', CORRECT, '--out', out, '--jbos=2'], /unknown option --jbos .*did you mean --jobs\?/, { untouched: [out] });
    expectRefused(['check', 'losses', CORRECT, '--wach'], /unknown option --wach for check \(did you mean --watch\?\)/);
    // A flag of another command is unknown here too.
    expectRefused(['check', 'losses', CORRECT, '--min-score', '50'], /unknown option --min-score for check/);
  });

  test('an unknown command is named as such, with the closest command, not its arguments as unknown flags', () => {
    const out = freshOut();
    const run = expectRefused(['grde', 'losses', CORRECT, '--out', out], /unknown command "grde" \(did you mean grade\?\)/, { untouched: [out] });
    expect(run.line).not.toMatch(/losses|--out|Unknown argument/);
    expectRefused(['chekc', 'losses'], /unknown command "chekc" \(did you mean check\?\)/);
    expectRefused(['frobnicate'], /unknown command "frobnicate"; the commands are grade, check, merge, validate, dist, init, new, classroom, bundle/);
    expectRefused([], /name a command: grade, check/);
  });

  test('extra and missing arguments are one line each', () => {
    const out = freshOut();
    expectRefused(['grade', 'losses', CORRECT, 'stray', '--out', out], /unexpected argument stray \(usage: mlgrade grade <assignment> <path>/, { untouched: [out] });
    expectRefused(['grade', 'losses', CORRECT], /missing --out for grade/);
    expectRefused(['grade', 'losses', CORRECT, '--out'], /--out needs a value/);
    expectRefused(['grade', 'losses', CORRECT, '--out', ''], /--out needs a folder name/);
    expectRefused(['bundle', 'seal', 'x', '--out', 'y'], /"seal" is not a valid <action>: choose "encrypt" or "decrypt"/);
  });
});

describe('numeric flags are checked before grading', () => {
  test.each([
    [['--jobs', 'abc'], /--jobs must be a whole number of at least 1, got "abc"/],
    [['--jobs', '0'], /--jobs must be a whole number of at least 1, got "0"/],
    [['--jobs', '2.5'], /--jobs must be a whole number of at least 1, got "2.5"/],
    [['--batch-size', '-3'], /--batch-size must be a whole number of at least 1, got "-3"/],
    [['--min-score', 'abc'], /--min-score must be a percentage from 0 to 100, got "abc"/],
    [['--min-score', '150'], /--min-score must be a percentage from 0 to 100, got "150"/],
    [['--min-score', '-1'], /--min-score must be a percentage from 0 to 100, got "-1"/],
    [['--shard', '3/2'], /--shard must look like i\/n with 1 ≤ i ≤ n \(e\.g\. 2\/4\), got "3\/2"/],
    [['--shard', 'half'], /--shard must look like i\/n/],
    [['--jobs', '2', '--jobs', '3'], /--jobs was given 2 times: give it once/],
  ])('grade %j is refused', (flags, pattern) => {
    const out = freshOut();
    expectRefused(['grade', 'losses', CORRECT, '--out', out, ...flags], pattern, { untouched: [out] });
  });

  test('validate checks --jobs the same way', () => {
    expectRefused(['validate', 'losses', '--jobs', 'many'], /--jobs must be a whole number of at least 1, got "many"/);
  });
});

describe('export flags are checked before grading', () => {
  test.each([
    [['--junit-include-hidden'], /--junit-include-hidden changes the --junit file: give --junit <file> too/],
    [['--canvas-assignment', ' '], /--canvas-assignment needs a Canvas assignment id or title/],
    [['--canvas-assignment', '4521', '--no-canvas'], /--canvas-assignment names the column .* --no-canvas turns off/],
  ])('grade %j is refused', (flags, pattern) => {
    const out = freshOut();
    expectRefused(['grade', 'losses', CORRECT, '--out', out, ...flags], pattern, { untouched: [out] });
  });

  test('merge checks them the same way', () => {
    expectRefused(['merge', tempDir(), '--out', freshOut(), '--junit-include-hidden'], /give --junit <file> too/);
  });

  test('a Canvas column Canvas would drop stops a Canvas download before anything is graded', async () => {
    const zip = path.join(tempDir(), 'submissions.zip');
    fs.writeFileSync(zip, await buildZip([{ name: 'adamsamy_1001_900001_losses.ts', data: fs.readFileSync(path.join(CORRECT, 'losses.ts')) }]));
    const out = freshOut();
    const pattern = /the Canvas gradebook could not be written: .*"Final Score".*--canvas-assignment <id>/;
    const run = runCli(['grade', 'losses', zip, '--out', out, '--canvas-assignment', 'Final Score']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr.trim().split('\n').pop()).toMatch(pattern);
    expect(fs.existsSync(out)).toBe(false);
    // Given the id, the column is matched by id, and the class is graded.
    const ok = runCli(['grade', 'losses', zip, '--out', out, '--canvas-assignment', '4521']);
    expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: '' });
    const [header] = parseCsv(fs.readFileSync(path.join(out, 'canvas-gradebook.csv'), 'utf8'));
    expect(header[5]).toMatch(/ \(4521\)$/);
  });
});

describe('output folders are checked before grading', () => {
  test('a path that is a file, or a folder that cannot be created, is refused at once', () => {
    const file = path.join(tempDir(), 'grades');
    fs.writeFileSync(file, 'not a folder');
    expectRefused(['grade', 'losses', CORRECT, '--out', file], /the output folder .*grades is a file, not a folder/);
    expectRefused(['grade', 'losses', CORRECT, '--out', path.join(file, 'inside')], /cannot create the output folder .*grades\/inside \(a part of the path is a file, not a folder\)/);
    expectRefused(['grade', 'losses', CORRECT, '--out', tempDir(), '--junit', path.join(file, 'junit.xml')], /the folder of the JUnit file .*grades is a file, not a folder/);
    expectRefused(['check', 'losses', CORRECT, '--report', path.join(file, 'check.html')], /the folder of --report .*grades is a file, not a folder/);
  });

  const sysfs = fs.existsSync('/sys/kernel') ? test : test.skip;
  sysfs('a folder nobody may write into (/sys, even as root) is refused before grading', () => {
    expectRefused(['grade', 'losses', CORRECT, '--out', '/sys/kernel'], /cannot write into the output folder \/sys\/kernel \((permission denied|read-only file system|operation not permitted)\)/);
    expectRefused(['grade', 'losses', CORRECT, '--out', '/sys/mlgrade-grades'], /cannot create the output folder \/sys\/mlgrade-grades/);
  });

  const notRoot = process.getuid?.() !== 0 ? test : test.skip;
  notRoot('a read-only folder is refused before grading', () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o500);
    try {
      expectRefused(['grade', 'losses', CORRECT, '--out', dir], /cannot write into the output folder .* \(permission denied\)/);
    } finally {
      fs.chmodSync(dir, 0o700);
    }
  });
});

describe('paths', () => {
  test('check on a missing path or a file is one line, exit 2', () => {
    expectRefused(['check', 'losses', path.join(EXAMPLES, 'does-not-exist')], /no such folder: .*does-not-exist — pass the folder holding your losses\.ts, losses\.js, losses\.py or losses\.ipynb/);
    expectRefused(['check', 'losses', path.join(CORRECT, 'losses.ts')], /losses\.ts is a file, not a folder/);
  });
});

/** A copy of the losses assignment.json in a folder of its own, with `changes` applied. */
function assignmentWith(changes: Record<string, unknown>): string {
  const dir = tempDir('mlgrade-assignment-');
  const spec = JSON.parse(fs.readFileSync(path.join(ROOT, 'assignments', 'losses', 'assignment.json'), 'utf8')) as Record<string, unknown>;
  delete spec.reference;
  fs.writeFileSync(path.join(dir, 'assignment.json'), JSON.stringify({ ...spec, ...changes }, null, 2));
  return dir;
}

describe('assignment.json', () => {
  test('a mistyped test id is an error before grading, with the id it meant', () => {
    const assignment = assignmentWith({ tests: { 'mse.acuracy.hand': { points: 3 } } });
    const out = freshOut();
    expectRefused(['grade', assignment, CORRECT, '--out', out], /key "tests\.mse\.acuracy\.hand": the suite has no test with this id \(did you mean "mse\.accuracy\.hand"\?\)/, {
      untouched: [out],
    });
    expectRefused(['check', assignment, CORRECT], /key "tests\.mse\.acuracy\.hand"/);
  });

  test('an unknown tolerance name is an error listing the suite\'s names', () => {
    const assignment = assignmentWith({ tolerances: { gradients: { rtol: 1e-4, atol: 1e-6 } } });
    expectRefused(['grade', assignment, CORRECT, '--out', freshOut()], /key "tolerances\.gradients": .*did you mean "gradient"\? its tolerances are activation, loss, certain, gradient, exact/);
  });

  test('overrides that name real checks and tolerances are applied', () => {
    const assignment = assignmentWith({ tests: { 'mse.accuracy.hand': { points: 10 } }, tolerances: { loss: { rtol: 1e-4, atol: 1e-6 } } });
    const out = tempDir();
    const run = runCli(['grade', assignment, CORRECT, '--out', out, '--no-html']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const result = readResult(out, 'correct');
    expect(result.tests.find((t) => t.id === 'mse.accuracy.hand')?.maxScore).toBe(10);
    expect(result.score).toBe(result.maxScore);
  });

  test('a missing grading suite says where it looked', () => {
    const assignment = assignmentWith({ grader: 'no-such-suite' });
    expectRefused(['grade', assignment, CORRECT, '--out', freshOut()], /key "grader": no grading suite named "no-such-suite" \(looked for graders\/no-such-suite\/index\.ts/);
  });
});

describe('bundles', () => {
  const key = { MLGRADE_BUNDLE_KEY: 'course-secret' };

  test('encrypt refuses an empty or missing folder and writes no bundle', () => {
    const bundle = path.join(tempDir(), 'hidden.mlgb');
    expectRefused(['bundle', 'encrypt', tempDir(), '--out', bundle], /holds no files: nothing to seal/, { env: key, untouched: [bundle] });
    expectRefused(['bundle', 'encrypt', path.join(tempDir(), 'nope'), '--out', bundle], /no such folder: .*nope/, { env: key, untouched: [bundle] });
  });

  test('decrypt lists what it unpacked; a bundle with no files is an error', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'losses'));
    fs.writeFileSync(path.join(dir, 'losses', 'hidden.js'), 'module.exports = 1;\n');
    fs.writeFileSync(path.join(dir, 'seeds.json'), '[1, 2]\n');
    const bundle = path.join(tempDir(), 'hidden.mlgb');
    const sealed = runCli(['bundle', 'encrypt', dir, '--out', bundle], { env: key });
    expect(sealed.stdout).toMatch(/Sealed 2 files of .* into .*hidden\.mlgb/);
    const back = path.join(tempDir(), 'back');
    const opened = runCli(['bundle', 'decrypt', bundle, '--out', back], { env: key });
    expect(opened.status).toBe(0);
    expect(opened.stdout).toContain(`Unpacked 2 files into ${back}:\n  losses/hidden.js\n  seeds.json\n`);

    const empty = path.join(tempDir(), 'empty.mlgb');
    fs.writeFileSync(empty, encryptBundle(packDirectory(tempDir()), key.MLGRADE_BUNDLE_KEY));
    const target = path.join(tempDir(), 'target');
    expectRefused(['bundle', 'decrypt', empty, '--out', target], /empty\.mlgb holds no files/, { env: key, untouched: [target] });
    expectRefused(['bundle', 'decrypt', path.join(tempDir(), 'missing.mlgb'), '--out', target], /no such bundle file: .*missing\.mlgb/, { env: key, untouched: [target] });
  });
});
