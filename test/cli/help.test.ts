/**
 * Every command's --help is complete: its arguments and every option described, at least one
 * example, its exit codes and the environment variables it reads.
 */
import { runCli } from '../support/cli';

const COMMANDS: Record<string, { args: string[]; options: string[]; environment: string[] }> = {
  grade: {
    args: ['assignment', 'path'],
    options: [
      '--out', '--jobs', '--batch-size', '--force', '--shard', '--min-score', '--require-isolation', '--allow-unsandboxed-python',
      '--junit', '--junit-include-hidden', '--html', '--csv', '--gradescope', '--canvas', '--canvas-assignment', '--github-summary',
    ],
    environment: ['MLGRADE_REQUIRE_ISOLATION', 'MLGRADE_NO_BWRAP', 'MLGRADE_NO_NETNS', 'GITHUB_STEP_SUMMARY', 'NO_COLOR'],
  },
  check: {
    args: ['assignment', 'dir'],
    options: ['--watch', '--report', '--require-isolation'],
    environment: ['MLGRADE_REQUIRE_ISOLATION', 'MLGRADE_NO_BWRAP', 'MLGRADE_NO_NETNS', 'NO_COLOR'],
  },
  merge: {
    args: ['inputs'],
    options: ['--out', '--junit', '--junit-include-hidden', '--canvas', '--canvas-assignment', '--html'],
    environment: ['GITHUB_STEP_SUMMARY'],
  },
  validate: { args: ['assignment'], options: ['--jobs'], environment: ['MLGRADE_NO_BWRAP', 'MLGRADE_NO_NETNS'] },
  dist: { args: ['assignment'], options: ['--out'], environment: [] },
  bundle: { args: ['action', 'input'], options: ['--out'], environment: ['MLGRADE_BUNDLE_KEY'] },
  new: { args: ['name'], options: [], environment: [] },
};

test.each(Object.entries(COMMANDS))('mlgrade %s --help describes every argument and option, with an example, exit codes and environment', (command, expected) => {
  const run = runCli([command, '--help']);
  expect(run.status).toBe(0);
  expect(run.stderr).toBe('');
  const help = run.stdout;
  const section = (title: string) => help.split(`${title}:\n`)[1]?.split('\n\n')[0] ?? '';
  // Each argument on a line of its own with a description after it.
  for (const arg of expected.args) expect(section('Positionals')).toMatch(new RegExp(`^  ${arg}\\s+[^\\s[].{10,}`, 'm'));
  for (const option of expected.options) expect(section('Options')).toMatch(new RegExp(`^\\s+${option}\\s+[^\\s[].{10,}`, 'm'));
  expect(section('Examples')).toMatch(new RegExp(`^  mlgrade ${command} |^  \\S+=\\S+ mlgrade ${command} `, 'm'));
  expect(section('Exit codes')).toMatch(/^ {2}0 +\S/m);
  expect(section('Exit codes')).toMatch(/^ {2}2 +\S/m);
  for (const variable of expected.environment) expect(section('Environment')).toMatch(new RegExp(`^  ${variable}(=1)?\\s+\\S`, 'm'));
  if (!expected.environment.length) expect(help).not.toMatch(/^Environment:/m);
});

test('mlgrade --help lists every command and points to the per-command help', () => {
  const run = runCli(['--help']);
  expect(run.status).toBe(0);
  for (const command of Object.keys(COMMANDS)) expect(run.stdout).toMatch(new RegExp(`^  mlgrade ${command}\\b`, 'm'));
  expect(run.stdout).toContain('mlgrade <command> --help');
});
