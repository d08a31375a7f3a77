/**
 * Runs git for `classroom fetch`. The token (a GitHub App installation token, `x-access-token`)
 * reaches git only through the child's environment, as an HTTP Authorization header scoped to the
 * GitHub server's URL (`GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n`, git ≥ 2.31): it
 * is never in a command line (visible in process lists), in a remote URL, in `.git/config` or in
 * any file; other hosts and local paths never see it. Git never prompts (`GIT_TERMINAL_PROMPT=0`),
 * and whatever git prints passes through {@link redact} before anyone reads it.
 */
import { spawn } from 'node:child_process';

export interface GitAuth {
  /** The GitHub server the token is for, e.g. `https://github.com`. */
  serverUrl: string;
  /** An installation token or personal access token; omitted: no Authorization header. */
  token?: string;
}

/** A finished git command. */
export type GitRun = { status: 'ok'; stdout: Buffer; stderr: string } | { status: 'failed'; code: number | null; stderr: string; timedOut: boolean };

/** Variables of the parent that would point git somewhere else, or carry secrets it does not need. */
const DROPPED = new RegExp(
  '^(GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|NAMESPACE|CONFIG.*|CEILING_DIRECTORIES|COMMON_DIR)' +
    '|GH_TOKEN|GITHUB_TOKEN|GH_ENTERPRISE_TOKEN|GITHUB_ENTERPRISE_TOKEN|MLGRADE_BUNDLE_KEY)$',
);

/**
 * Replaces the token, and its Basic-auth form, by `***` in any text (git's messages, API errors).
 *
 * @example redact('fatal: auth failed for ghs_abc', 'ghs_abc') // returns 'fatal: auth failed for ***'
 */
export function redact(text: string, token: string | undefined): string {
  if (!token) return text;
  let out = text;
  for (const secret of [token, Buffer.from(`x-access-token:${token}`).toString('base64')]) out = out.split(secret).join('***');
  return out;
}

/**
 * The environment of a git child: the parent's without git location overrides or tokens, no
 * prompts, and with a token an `http.<server>/.extraHeader` for the GitHub server only.
 */
export function gitEnv(auth: GitAuth, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!DROPPED.test(key)) env[key] = value;
  env.GIT_TERMINAL_PROMPT = '0';
  // No `ext::` or other command-running transports, whatever a roster says.
  env.GIT_ALLOW_PROTOCOL = 'file:git:http:https:ssh';
  const config: [string, string][] = [['advice.detachedHead', 'false']];
  if (auth.token && /^https?:\/\//i.test(auth.serverUrl)) {
    const basic = Buffer.from(`x-access-token:${auth.token}`).toString('base64');
    config.push([`http.${auth.serverUrl.replace(/\/+$/, '')}/.extraHeader`, `AUTHORIZATION: basic ${basic}`]);
  }
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

export interface GitOptions {
  env: NodeJS.ProcessEnv;
  /** Written to git's stdin, then closed. */
  input?: string;
  timeoutMs?: number;
  /** Stop reading stdout past this many bytes (the command fails). */
  maxStdoutBytes?: number;
}

/** Runs `git <args>`; never throws for a failing command (its stderr says why). */
export function runGit(args: string[], options: GitOptions): Promise<GitRun> {
  return new Promise((resolve) => {
    const child = spawn('git', args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let timedOut = false;
    let tooLarge = false;
    const timer = options.timeoutMs ? setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs) : undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (options.maxStdoutBytes !== undefined && outBytes > options.maxStdoutBytes) {
        tooLarge = true;
        child.kill('SIGKILL');
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 64 * 1024) err += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: 'failed', code: null, stderr: `cannot run git: ${error.message}`, timedOut: false });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (tooLarge) resolve({ status: 'failed', code, stderr: `git printed more than ${options.maxStdoutBytes} bytes`, timedOut: false });
      else if (code === 0 && !timedOut) resolve({ status: 'ok', stdout: Buffer.concat(out), stderr: err });
      else resolve({ status: 'failed', code, stderr: err, timedOut });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/**
 * One line saying why a git command failed, in words for the instructor: the last `fatal:` or
 * `error:` line of git (token redacted), or the timeout.
 */
export function gitFailure(run: Extract<GitRun, { status: 'failed' }>, token: string | undefined, timeoutMs?: number): string {
  if (run.timedOut) return `git did not finish within ${Math.round((timeoutMs ?? 0) / 1000)} s`;
  const lines = redact(run.stderr, token)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const fatal = lines.filter((l) => /^(fatal|error|remote):/i.test(l));
  const line = (fatal.find((l) => /^fatal:/i.test(l)) ?? fatal[0] ?? lines[lines.length - 1] ?? `git exited with code ${run.code}`).replace(/\s+/g, ' ');
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
