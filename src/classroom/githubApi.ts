/**
 * A small client of GitHub's REST API over Node's global `fetch`, for `classroom fetch` (open pull
 * requests) and `classroom post` (comments, statuses), and a recording stand-in for dry runs.
 *
 * - The token goes in the `Authorization` header only, to the API's origin only: a pagination link
 *   to another origin is not followed, and every error message is redacted.
 * - Rate limits ("Rate limits for the REST API"): a 403/429 with `retry-after` waits that many
 *   seconds; one with `x-ratelimit-remaining: 0` waits until `x-ratelimit-reset`; a secondary
 *   limit without either waits a minute; a response that leaves no requests holds the next one
 *   until the reset. Content-creating requests (POST, PATCH) are spaced (default 1 s) to stay
 *   under the secondary limit of 80 a minute. 5xx answers and network errors are retried with
 *   backoff. A wait longer than `maxWaitMs` fails the request instead.
 */
import { redact } from './git';

export type HttpMethod = 'GET' | 'POST' | 'PATCH';

/** A request: `path` is relative to the API's URL (`/repos/o/r/...`), or a pagination link on it. */
export interface GitHubRequest {
  method: HttpMethod;
  path: string;
  body?: unknown;
}

export interface GitHubResponse<T = unknown> {
  status: number;
  data: T;
  /** The `rel="next"` link of a paginated answer, on the API's origin. */
  next?: string;
}

/** What `post` and `fetch` need of the API: one request at a time, and every page of a list. */
export interface GitHubApi {
  request<T = unknown>(request: GitHubRequest): Promise<GitHubResponse<T>>;
  /** Every item of a paginated list, following `next` links up to `maxPages`. */
  list<T = unknown>(path: string, maxPages?: number): Promise<T[]>;
}

/** The API refused or failed a request; the message says which request and why, without the token. */
export class GitHubApiError extends Error {
  override readonly name = 'GitHubApiError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface RestClientOptions {
  /** e.g. `https://api.github.com` (`GITHUB_API_URL`). */
  apiUrl: string;
  /** Sent as `Authorization: Bearer …`; without one, requests are anonymous (public repositories, 60 an hour). */
  token?: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Least time between two content-creating requests (default 1000 ms). */
  mutationIntervalMs?: number;
  /** Longest single wait for a rate limit before giving up (default 15 min). */
  maxWaitMs?: number;
  /** Attempts per request, the first included (default 5). */
  maxAttempts?: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Why a status failed, for the message: what to check. */
function hint(status: number): string {
  if (status === 401) return ' (the token is missing, wrong or expired: GH_TOKEN)';
  if (status === 403) return ' (the token lacks a permission: the app needs Contents read, Pull requests write, Commit statuses write)';
  if (status === 404) return ' (no such repository, pull request or commit, or the token cannot see it: is the app installed on it?)';
  if (status === 422) return ' (GitHub refused the content)';
  return '';
}

function nextLink(link: string | null, origin: string): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match) {
      try {
        return new URL(match[1]).origin === origin ? match[1] : undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * How long to wait before retrying an answer, or undefined when it is not worth retrying.
 *
 * @example retryWait(429, new Headers({ 'retry-after': '3' }), 0, 1, '') // returns 3000
 */
export function retryWait(status: number, headers: Headers, now: number, attempt: number, message: string): number | undefined {
  if (status === 403 || status === 429) {
    const after = Number(headers.get('retry-after'));
    if (headers.get('retry-after') !== null && Number.isFinite(after)) return Math.max(0, after) * 1000;
    if (headers.get('x-ratelimit-remaining') === '0') {
      const reset = Number(headers.get('x-ratelimit-reset'));
      if (Number.isFinite(reset)) return Math.max(0, reset * 1000 - now) + 1000;
    }
    if (status === 429 || /secondary rate limit/i.test(message)) return 60_000;
    return undefined;
  }
  if (status >= 500) return 1000 * 2 ** (attempt - 1);
  return undefined;
}

/** The REST client (see the module comment). */
export class RestClient implements GitHubApi {
  private readonly base: string;
  private readonly origin: string;
  private readonly doFetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private lastMutation = -Infinity;
  private blockedUntil = 0;

  constructor(private readonly options: RestClientOptions) {
    this.base = options.apiUrl.replace(/\/+$/, '');
    this.origin = new URL(this.base).origin;
    this.doFetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  private url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.base}${path}`;
  }

  private label(request: GitHubRequest): string {
    return `${request.method} ${request.path.startsWith(this.base) ? request.path.slice(this.base.length) : request.path}`;
  }

  private async pace(method: HttpMethod): Promise<void> {
    const wait = Math.max(this.blockedUntil - this.now(), method === 'GET' ? 0 : this.lastMutation + (this.options.mutationIntervalMs ?? 1000) - this.now());
    if (wait > 0) await this.sleep(wait);
    if (method !== 'GET') this.lastMutation = this.now();
  }

  async request<T = unknown>(request: GitHubRequest): Promise<GitHubResponse<T>> {
    const attempts = this.options.maxAttempts ?? 5;
    const maxWait = this.options.maxWaitMs ?? 15 * 60_000;
    const url = this.url(request.path);
    if (new URL(url).origin !== this.origin) throw new GitHubApiError(`${this.label(request)}: not on the API's origin ${this.origin}; not sent`);
    for (let attempt = 1; ; attempt++) {
      await this.pace(request.method);
      let response: Response;
      try {
        response = await this.doFetch(url, {
          method: request.method,
          headers: {
            accept: 'application/vnd.github+json',
            ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
            'x-github-api-version': '2022-11-28',
            'user-agent': 'mlgrade-classroom',
            ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          body: request.body !== undefined ? JSON.stringify(request.body) : undefined,
        });
      } catch (error) {
        if (attempt < attempts) {
          await this.sleep(1000 * 2 ** (attempt - 1));
          continue;
        }
        const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
        throw new GitHubApiError(redact(`${this.label(request)}: cannot reach ${this.origin}: ${cause}`, this.options.token));
      }
      const text = await response.text();
      let data: unknown = undefined;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        data = text;
      }
      if (response.headers.get('x-ratelimit-remaining') === '0') {
        const reset = Number(response.headers.get('x-ratelimit-reset'));
        if (Number.isFinite(reset)) this.blockedUntil = reset * 1000 + 1000;
      }
      if (response.ok) return { status: response.status, data: data as T, next: nextLink(response.headers.get('link'), this.origin) };
      const message = typeof data === 'object' && data !== null && 'message' in data ? String((data as { message: unknown }).message) : response.statusText;
      const wait = retryWait(response.status, response.headers, this.now(), attempt, message);
      if (wait !== undefined && attempt < attempts) {
        if (wait > maxWait) {
          const message = `${this.label(request)}: rate limited for ${Math.ceil(wait / 1000)} s, longer than the ${Math.round(maxWait / 1000)} s mlgrade waits`;
          throw new GitHubApiError(redact(message, this.options.token), response.status);
        }
        await this.sleep(wait);
        continue;
      }
      throw new GitHubApiError(redact(`${this.label(request)}: GitHub answered ${response.status} ${message}${hint(response.status)}`, this.options.token), response.status);
    }
  }

  async list<T = unknown>(path: string, maxPages = 20): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    for (let page = 0; next && page < maxPages; page++) {
      const response: GitHubResponse<T[]> = await this.request<T[]>({ method: 'GET', path: next });
      if (!Array.isArray(response.data)) throw new GitHubApiError(`GET ${path}: expected a list`);
      items.push(...response.data);
      next = response.next;
    }
    return items;
  }
}

/** One request a dry run would have sent. */
export interface RecordedCall {
  method: HttpMethod;
  path: string;
  body?: unknown;
  /** The submission the call is for. */
  submission?: string;
}

/**
 * The dry run's stand-in: records every request and answers as GitHub would on a first run (no
 * earlier comment or status, so everything is created); nothing is sent anywhere.
 */
export class RecordingApi implements GitHubApi {
  readonly calls: RecordedCall[] = [];
  private nextId = 1;
  /** The submission recorded with the next calls. */
  submission?: string;

  async request<T = unknown>(request: GitHubRequest): Promise<GitHubResponse<T>> {
    this.calls.push({
      method: request.method,
      path: request.path,
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(this.submission ? { submission: this.submission } : {}),
    });
    if (request.method === 'GET') return { status: 200, data: (/\/status$/.test(request.path.split('?')[0]) ? { state: 'pending', statuses: [] } : []) as T };
    return { status: 201, data: { id: this.nextId++ } as T };
  }

  async list<T = unknown>(path: string): Promise<T[]> {
    return (await this.request<T[]>({ method: 'GET', path })).data;
  }
}
