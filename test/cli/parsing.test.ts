/**
 * The pure parts of the command line: closest-name suggestions, the unknown flag and command
 * check, the option readers, error-to-exit-code mapping, the resume command.
 */
import { closestMatch, editDistance } from '../../src/suggest';
import { COMMANDS, parseArguments } from '../../src/cli/main';
import { checkArguments } from '../../src/cli/unknownArguments';
import { percentage, positiveInteger, requiredPath, shard, UsageError } from '../../src/cli/usage';
import { describeError } from '../../src/cli/errors';
import { resumeCommand } from '../../src/cli/commands/grade';
import { shellCommand } from '../../src/cli/interrupt';
import { AssignmentSpecError } from '../../src/assignments/spec';

test('closestMatch suggests near misses and prefixes, nothing for unrelated words', () => {
  expect(editDistance('min-scor', 'min-score')).toBe(1);
  expect(editDistance('jbos', 'jobs')).toBe(1);
  expect(closestMatch('min-scor', ['jobs', 'min-score', 'out'])).toBe('min-score');
  expect(closestMatch('grde', ['grade', 'check'])).toBe('grade');
  expect(closestMatch('batch', ['batch-size', 'jobs'])).toBe('batch-size');
  expect(closestMatch('zzz', ['grade', 'check'])).toBeUndefined();
  expect(closestMatch('o', ['out', 'other'])).toBeUndefined();
});

test('checkArguments finds unknown commands and flags, and accepts every spelling yargs does', () => {
  expect(checkArguments(['grade', 'losses', 'x', '--out', 'o', '--no-html', '--minScore', '5', '--batch-size=3', '-h'], COMMANDS)?.name).toBe('grade');
  expect(checkArguments(['--help'], COMMANDS)).toBeUndefined();
  expect(checkArguments(['grade', 'losses', 'x', '--min-score', '-5'], COMMANDS)?.name).toBe('grade');
  expect(checkArguments(['grade', 'losses', '--', '--not-a-flag'], COMMANDS)?.name).toBe('grade');
  expect(() => checkArguments(['grade', '--force=yes', '--frce'], COMMANDS)).toThrow(/unknown option --frce for grade \(did you mean --force\?\)/);
  expect(() => checkArguments(['grade', '-j', '2'], COMMANDS)).toThrow(/unknown option -j for grade —/);
  expect(() => checkArguments(['--verbose', 'grade'], COMMANDS)).toThrow(/unknown option --verbose: name a command first/);
  expect(() => checkArguments(['mrege', 'a', '--out', 'b'], COMMANDS)).toThrow(/^unknown command "mrege" \(did you mean merge\?\)/);
});

test('parseArguments runs nothing: it returns the command and its parsed options', async () => {
  const invocation = await parseArguments(['grade', 'losses', 'class/', '--out', 'o', '--jobs', '3', '--no-csv']);
  expect(invocation.kind).toBe('run');
  if (invocation.kind !== 'run') return;
  expect(invocation.spec.name).toBe('grade');
  expect(invocation.args).toMatchObject({ assignment: 'losses', path: 'class/', out: 'o', jobs: '3', csv: false });
  await expect(parseArguments(['grade', 'losses'])).rejects.toThrow(UsageError);
});

test('option readers name the flag and the value they refuse', () => {
  expect(positiveInteger('jobs', undefined)).toBeUndefined();
  expect(positiveInteger('jobs', '8')).toBe(8);
  expect(() => positiveInteger('jobs', '1e3')).toThrow('--jobs must be a whole number of at least 1, got "1e3"');
  expect(() => positiveInteger('jobs', ['1', '2'])).toThrow('--jobs was given 2 times');
  expect(percentage('min-score', '0')).toBe(0);
  expect(percentage('min-score', '99.5')).toBe(99.5);
  expect(() => percentage('min-score', '100.1')).toThrow(/0 to 100, got "100.1"/);
  expect(() => percentage('min-score', 'NaN')).toThrow(/got "NaN"/);
  expect(shard('2/4')).toEqual({ index: 2, count: 4 });
  expect(() => shard('0/4')).toThrow(UsageError);
  expect(() => requiredPath('out', '  ')).toThrow('--out needs a folder name');
});

test('input errors are one line and exit 2; anything else is an internal error, exit 1, stack only on request', () => {
  expect(describeError(new UsageError('--jobs must be …'))).toEqual({ text: 'mlgrade: --jobs must be …\n', exitCode: 2 });
  expect(describeError(new AssignmentSpecError('x.json: key "grader": …')).exitCode).toBe(2);
  const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x/y'"), { code: 'ENOENT', syscall: 'open', path: '/x/y' });
  expect(describeError(enoent)).toEqual({ text: 'mlgrade: cannot open /x/y: no such file or folder\n', exitCode: 2 });
  const bug = describeError(new TypeError('undefined is not a function'), {});
  expect(bug.exitCode).toBe(1);
  expect(bug.text.trim().split('\n')).toHaveLength(1);
  expect(bug.text).toMatch(/internal error \(not caused by your input\): undefined is not a function — MLGRADE_DEBUG=1 shows where/);
  expect(describeError(new TypeError('boom'), { MLGRADE_DEBUG: '1' }).text).toMatch(/\n\s+at /);
});

test('the resume command is the same command without --force, quoted for a shell', () => {
  expect(resumeCommand(['grade', 'losses', 'my class/', '--out', 'o', '--force', '--jobs', '2'])).toBe("mlgrade grade losses 'my class/' --out o --jobs 2");
  expect(shellCommand(["it's"])).toBe(`'it'\\''s'`);
});
