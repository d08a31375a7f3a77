/**
 * A stand-in for the parts of GitHub's REST API that `classroom post` uses, on a local port:
 * pull-request (issue) comments, commit comments, combined commit status and statuses. It keeps
 * what it is sent, answers like GitHub (ids, html_url, the comment's author), and records every
 * request with its headers so tests can check exactly what was called and where the token went.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface StoredComment {
  id: number;
  body: string;
  html_url: string;
  user: { login: string; type: 'User' | 'Bot' };
  /** `issue:<owner>/<repo>#<n>` or `commit:<owner>/<repo>@<sha>`. */
  on: string;
}

export interface StoredStatus {
  repo: string;
  sha: string;
  state: string;
  context: string;
  description: string;
  target_url?: string;
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly comments: StoredComment[] = [];
  readonly statuses: StoredStatus[] = [];
  private nextId = 1000;
  private server?: http.Server;
  url = '';

  /** A comment someone else wrote (a student, say), so tests can check it is never taken for mlgrade's. */
  seedComment(on: string, body: string, login: string, type: 'User' | 'Bot' = 'User'): StoredComment {
    const comment = { id: this.nextId++, body, html_url: `https://github.test/${on}#c${this.nextId}`, user: { login, type }, on };
    this.comments.push(comment);
    return comment;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        const [status, data] = this.answer(req.method ?? '', new URL(req.url ?? '/', 'http://x'), body);
        res.writeHead(status, { 'content-type': 'application/json', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '0' });
        res.end(JSON.stringify(data));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The requests that changed something (POST, PATCH), as `METHOD path`. */
  writes(): string[] {
    return this.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`);
  }

  private create(on: string, body: string): StoredComment {
    const id = this.nextId++;
    const comment: StoredComment = { id, body, html_url: `https://github.test/${on.replace(/^\w+:/, '')}#issuecomment-${id}`, user: { login: 'mlgrade-course[bot]', type: 'Bot' }, on };
    this.comments.push(comment);
    return comment;
  }

  private answer(method: string, url: URL, raw: string): [number, unknown] {
    const p = url.pathname;
    const input = raw ? (JSON.parse(raw) as Record<string, string>) : {};
    let m: RegExpExecArray | null;
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(p))) {
      const on = `issue:${m[1]}/${m[2]}#${m[3]}`;
      if (method === 'GET') return [200, this.comments.filter((c) => c.on === on)];
      if (method === 'POST') return [201, this.create(on, input.body)];
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]+)\/comments$/.exec(p))) {
      const on = `commit:${m[1]}/${m[2]}@${m[3]}`;
      if (method === 'GET') return [200, this.comments.filter((c) => c.on === on)];
      if (method === 'POST') return [201, this.create(on, input.body)];
    }
    if (method === 'PATCH' && (m = /^\/repos\/([^/]+)\/([^/]+)\/(issues\/comments|comments)\/(\d+)$/.exec(p))) {
      const comment = this.comments.find((c) => c.id === Number(m![4]) && c.on.includes(`${m![1]}/${m![2]}`) && c.on.startsWith(m![3] === 'comments' ? 'commit:' : 'issue:'));
      if (!comment) return [404, { message: 'Not Found' }];
      if (comment.user.type !== 'Bot') return [403, { message: 'Resource not accessible by integration' }];
      comment.body = input.body;
      return [200, comment];
    }
    if (method === 'GET' && (m = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]+)\/status$/.exec(p))) {
      const repo = `${m[1]}/${m[2]}`;
      const latest = new Map<string, StoredStatus>();
      for (const s of this.statuses) if (s.repo === repo && s.sha === m[3]) latest.set(s.context, s);
      return [200, { state: 'pending', statuses: [...latest.values()] }];
    }
    if (method === 'POST' && (m = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]+)$/.exec(p))) {
      const status = { repo: `${m[1]}/${m[2]}`, sha: m[3], state: input.state, context: input.context, description: input.description, ...(input.target_url ? { target_url: input.target_url } : {}) };
      this.statuses.push(status);
      return [201, status];
    }
    return [404, { message: 'Not Found' }];
  }
}
