/**
 * The REST client: the token in the Authorization header only and never in a message; rate
 * limits honoured (retry-after, x-ratelimit-reset, secondary limits, an exhausted budget holding
 * the next request), content-creating requests spaced, 5xx and network errors retried, and
 * pagination that never follows a link off the API's origin. Time is simulated.
 */
import { GitHubApiError, RecordingApi, RestClient, retryWait } from '../../src/classroom/githubApi';

const TOKEN = 'ghs_CanaryToken0123456789';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  at: number;
}

/** A fake `fetch` answering from a script, and a fake clock whose sleeps advance time. */
function harness(answers: ((sent: Sent) => Response)[]) {
  const sent: Sent[] = [];
  let now = 1_000_000;
  const sleeps: number[] = [];
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const request: Sent = { url: String(input), method: init?.method ?? 'GET', headers, body: init?.body as string | undefined, at: now };
    sent.push(request);
    const answer = answers.shift();
    if (!answer) throw new Error('no scripted answer left');
    return answer(request);
  }) as typeof fetch;
  const client = (options: Partial<ConstructorParameters<typeof RestClient>[0]> = {}) =>
    new RestClient({
      apiUrl: 'https://api.example.test',
      token: TOKEN,
      fetch: fakeFetch,
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      ...options,
    });
  return { sent, sleeps, client, now: () => now };
}

const json = (status: number, data: unknown, headers: Record<string, string> = {}) => () => new Response(JSON.stringify(data), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('RestClient', () => {
  test('sends the token as a Bearer Authorization header, and nowhere else', async () => {
    const h = harness([json(201, { id: 7 })]);
    const response = await h.client().request({ method: 'POST', path: '/repos/o/r/issues/1/comments', body: { body: 'hi' } });
    expect(response).toMatchObject({ status: 201, data: { id: 7 } });
    const [sent] = h.sent;
    expect(sent.url).toBe('https://api.example.test/repos/o/r/issues/1/comments');
    expect(sent.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent.headers['x-github-api-version']).toBe('2022-11-28');
    const elsewhere = JSON.stringify({ url: sent.url, body: sent.body, headers: { ...sent.headers, authorization: undefined } });
    expect(elsewhere).not.toContain(TOKEN);
  });

  test('a 403 with retry-after waits that long, then succeeds', async () => {
    const h = harness([json(403, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': '7' }), json(200, [])]);
    await h.client().request({ method: 'GET', path: '/repos/o/r/pulls' });
    expect(h.sleeps).toEqual([7000]);
    expect(h.sent).toHaveLength(2);
  });

  test('an exhausted primary limit waits until x-ratelimit-reset', async () => {
    const h = harness([json(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(1_000_000 / 1000 + 30) }), json(200, {})]);
    await h.client().request({ method: 'GET', path: '/x' });
    expect(h.sleeps).toEqual([31_000]);
  });

  test('a secondary limit without headers waits a minute; 5xx backs off', () => {
    expect(retryWait(403, new Headers(), 0, 1, 'You have exceeded a secondary rate limit.')).toBe(60_000);
    expect(retryWait(429, new Headers(), 0, 1, '')).toBe(60_000);
    expect(retryWait(403, new Headers(), 0, 1, 'Resource not accessible by integration')).toBeUndefined();
    expect(retryWait(502, new Headers(), 0, 3, '')).toBe(4000);
    expect(retryWait(404, new Headers({ 'retry-after': '1' }), 0, 1, '')).toBeUndefined();
  });

  test('a response leaving no requests holds the next one until the reset', async () => {
    const reset = 1_000_000 / 1000 + 120;
    const h = harness([json(200, {}, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }), json(200, {})]);
    const client = h.client();
    await client.request({ method: 'GET', path: '/a' });
    await client.request({ method: 'GET', path: '/b' });
    expect(h.sent[1].at).toBeGreaterThanOrEqual(reset * 1000);
  });

  test('content-creating requests are spaced by the mutation interval; reads are not', async () => {
    const h = harness([json(201, {}), json(200, {}), json(201, {}), json(200, {})]);
    const client = h.client({ mutationIntervalMs: 1000 });
    await client.request({ method: 'POST', path: '/a', body: {} });
    await client.request({ method: 'GET', path: '/b' });
    await client.request({ method: 'PATCH', path: '/c', body: {} });
    await client.request({ method: 'GET', path: '/d' });
    const times = h.sent.map((s) => s.at - h.sent[0].at);
    expect(times).toEqual([0, 0, 1000, 1000]);
  });

  test('a wait longer than maxWaitMs fails the request, naming it, without the token', async () => {
    const h = harness([json(403, { message: `rate limited for ${TOKEN}` }, { 'retry-after': '3600' })]);
    const error = await h.client({ maxWaitMs: 60_000 }).request({ method: 'GET', path: '/repos/o/r/pulls' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as Error).message).toBe('GET /repos/o/r/pulls: rate limited for 3600 s, longer than the 60 s mlgrade waits');
  });

  test('errors say which request, what GitHub said and what to check; a token echoed back is redacted', async () => {
    const h = harness([json(404, { message: `Not Found ${TOKEN}` })]);
    const error = (await h.client().request({ method: 'POST', path: '/repos/o/r/statuses/abc', body: {} }).catch((e: unknown) => e)) as GitHubApiError;
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/^POST \/repos\/o\/r\/statuses\/abc: GitHub answered 404 Not Found \*\*\* \(no such repository.*is the app installed on it\?\)$/);
    expect(error.message).not.toContain(TOKEN);
  });

  test('5xx answers and network errors are retried, then reported', async () => {
    const h = harness([
      json(502, { message: 'Bad Gateway' }),
      () => {
        throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
      },
      json(200, { ok: true }),
    ]);
    await expect(h.client().request({ method: 'GET', path: '/x' })).resolves.toMatchObject({ data: { ok: true } });
    expect(h.sleeps).toEqual([1000, 2000]);
    const down = harness(Array.from({ length: 3 }, () => () => {
      throw new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') });
    }));
    await expect(down.client({ maxAttempts: 3 }).request({ method: 'GET', path: '/x' })).rejects.toThrow('GET /x: cannot reach https://api.example.test: ECONNREFUSED');
  });

  test('list follows next links on the API origin only', async () => {
    const h = harness([
      json(200, [1, 2], { link: '<https://api.example.test/items?page=2>; rel="next", <https://api.example.test/items?page=3>; rel="last"' }),
      json(200, [3], { link: '<https://evil.example/items?page=3>; rel="next"' }),
    ]);
    await expect(h.client().list('/items')).resolves.toEqual([1, 2, 3]);
    expect(h.sent.map((s) => s.url)).toEqual(['https://api.example.test/items', 'https://api.example.test/items?page=2']);
  });

  test('a path that is an absolute URL elsewhere is never sent', async () => {
    const h = harness([]);
    await expect(h.client().request({ method: 'GET', path: 'https://evil.example/x' })).rejects.toThrow(/not on the API's origin/);
    expect(h.sent).toHaveLength(0);
  });
});

describe('RecordingApi', () => {
  test('records every request and answers as a first run would: no comments, no statuses, new ids', async () => {
    const api = new RecordingApi();
    api.submission = 'alice';
    await expect(api.list('/repos/o/r/issues/1/comments?per_page=100')).resolves.toEqual([]);
    await expect(api.request({ method: 'GET', path: '/repos/o/r/commits/abc/status?per_page=100' })).resolves.toMatchObject({ data: { statuses: [] } });
    await expect(api.request({ method: 'POST', path: '/repos/o/r/issues/1/comments', body: { body: 'x' } })).resolves.toMatchObject({ data: { id: 1 } });
    expect(api.calls).toEqual([
      { method: 'GET', path: '/repos/o/r/issues/1/comments?per_page=100', submission: 'alice' },
      { method: 'GET', path: '/repos/o/r/commits/abc/status?per_page=100', submission: 'alice' },
      { method: 'POST', path: '/repos/o/r/issues/1/comments', body: { body: 'x' }, submission: 'alice' },
    ]);
  });
});
