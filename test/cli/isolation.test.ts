/**
 * A weaker sandbox is never silent: one warning line per run when bubblewrap or namespaces are
 * missing, and `--require-isolation` (or MLGRADE_REQUIRE_ISOLATION=1) refuses to run instead.
 */
import * as path from 'node:path';
import { howToFix, isolationWarning } from '../../src/cli/isolation';
import { namespaceTool } from '../../src/sandbox/isolation';
import { EXAMPLES, readResult, runCli, tempDir } from '../support/cli';
import { expectRefused, freshOut } from '../support/cliErrors';

const CORRECT = path.join(EXAMPLES, 'correct');

test('without bubblewrap, unshare still gives a private root: no warning, and the result says private-root', () => {
  const out = tempDir();
  const run = runCli(['grade', 'losses', CORRECT, '--out', out, '--no-html', '--require-isolation'], { env: { MLGRADE_NO_BWRAP: '1' } });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(readResult(out, 'correct').isolation?.filesystem).toBe('private-root');
});

test('without namespaces, grade warns once (even for several submissions) and still grades', () => {
  const out = tempDir();
  const run = runCli(['grade', 'losses', EXAMPLES, '--out', out, '--no-html', '--shard', '1/3'], { env: { MLGRADE_NO_NETNS: '1' } });
  expect(run.status).toBe(0);
  const warnings = run.stderr.split('\n').filter((line) => line.includes('warning'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/^mlgrade: warning: submissions run without namespaces .*: MLGRADE_NO_NETNS=1 is set.*To fix: unset MLGRADE_NO_NETNS/);
  expect(run.stdout).toMatch(/\d+ submissions? graded/);
});

test('without namespaces, check warns once and still checks', () => {
  const run = runCli(['check', 'losses', CORRECT], { env: { MLGRADE_NO_NETNS: '1' } });
  expect(run.status).toBe(0);
  expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^mlgrade: warning: submissions run without namespaces .*MLGRADE_NO_NETNS=1 is set/)]);
});

test('--require-isolation and MLGRADE_REQUIRE_ISOLATION=1 refuse to grade or check without full isolation', () => {
  const out = freshOut();
  expectRefused(['grade', 'losses', CORRECT, '--out', out, '--require-isolation'], /--require-isolation: full isolation is not available: MLGRADE_NO_NETNS=1 is set.*To fix: unset MLGRADE_NO_NETNS/, {
    env: { MLGRADE_NO_NETNS: '1' },
    untouched: [out],
  });
  expectRefused(['grade', 'losses', CORRECT, '--out', out], /--require-isolation: full isolation is not available: MLGRADE_NO_NETNS=1 is set/, {
    env: { MLGRADE_NO_NETNS: '1', MLGRADE_REQUIRE_ISOLATION: '1' },
    untouched: [out],
  });
  expectRefused(['check', 'losses', CORRECT, '--require-isolation'], /full isolation is not available/, { env: { MLGRADE_NO_NETNS: '1' } });
});

const bwrapWorks = namespaceTool()?.kind === 'bwrap';
(bwrapWorks ? test : test.skip)('where isolation is full, --require-isolation grades as usual, without a warning', () => {
  const out = tempDir();
  const run = runCli(['grade', 'losses', CORRECT, '--out', out, '--no-html', '--require-isolation']);
  expect(run.status).toBe(0);
  expect(run.stderr).toBe('');
  expect(readResult(out, 'correct').isolation?.filesystem).toBe('private-root');
});

test('the fix named is the one this machine needs: unset a switch, install bubblewrap, or allow user namespaces', () => {
  expect(howToFix({ MLGRADE_NO_BWRAP: '1' }, { platform: 'linux', bwrapInstalled: true })).toBe('unset MLGRADE_NO_BWRAP');
  expect(howToFix({}, { platform: 'linux', bwrapInstalled: false })).toBe('install bubblewrap (apt-get install bubblewrap)');
  expect(howToFix({}, { platform: 'linux', bwrapInstalled: true })).toMatch(/allow unprivileged user namespaces/);
  expect(howToFix({}, { platform: 'darwin', bwrapInstalled: false })).toMatch(/Linux with bubblewrap/);
  expect(isolationWarning({ level: 'full', tool: 'bwrap', reasons: [] })).toBeUndefined();
  expect(isolationWarning({ level: 'none', tool: null, reasons: ['r'] }, {})?.split('\n')).toHaveLength(1);
});
