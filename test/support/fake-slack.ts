import type { ServerResponse } from 'node:http';
import { type LocalServer, listen, readBody, sendJson } from './http.js';

/**
 * A local stand-in for Slack: the Web API (`POST /api/<method>`, form-encoded like WebClient sends it) and
 * response_url endpoints (`POST /response/<id>`, JSON) whose posts tests wait for.
 */

export const FAKE_BOT_TOKEN = 'xoxb-test-0000000000-fake';
export const FAKE_TEAM_ID = 'T0TEST';
export const FAKE_BOT_USER_ID = 'U0BOT';
/** The bot scopes manifest.yml asks for: what the fake's bot token holds unless a test narrows them. */
export const FAKE_BOT_SCOPES = ['commands', 'chat:write'];

export interface WebApiCall {
  method: string;
  /** Form fields, with JSON-valued ones (view, blocks, …) parsed. */
  args: Record<string, unknown>;
  token: string | undefined;
  /** What the fake answered (e.g. the view id and hash of a views.open). */
  answer?: Record<string, unknown>;
}

export interface ResponsePost {
  id: string;
  body: Record<string, unknown>;
}

/**
 * Answers a Web API call; `'drop'` closes the connection without an answer (an unreachable Slack), `'hang'` never
 * answers (a stalled Slack); a
 * `RateLimited` answers HTTP 429 with that Retry-After, as Slack does past a method's rate tier.
 */
export type WebApiHandler = (
  args: Record<string, unknown>,
  request: { token: string | undefined },
) => Record<string, unknown> | 'drop' | 'hang' | RateLimited;

export interface RateLimited {
  rateLimitedFor: number;
}

export interface FakeSlack {
  url: string;
  /** SLACK_API_URL for the app (with the trailing /api/). */
  apiUrl: string;
  calls: WebApiCall[];
  posts: ResponsePost[];
  /** Overrides the answer of one Web API method. */
  on(method: string, handler: WebApiHandler): void;
  /** Restores the built-in answer of a method overridden with `on`. */
  off(method: string): void;
  /**
   * A fresh response_url; `status` makes it answer like an expired one (404) or a broken one (5xx), for the first
   * `times` posts (default: all of them).
   */
  responseUrl(options?: { status?: number; times?: number }): { id: string; url: string };
  /**
   * The scopes sent in `x-oauth-scopes` with every answer to a bot token (Slack sends them with every Web API answer,
   * docs/slack-platform.md §10.1); `null` sends no header. App-level tokens get `connections:write`.
   */
  setBotScopes(scopes: string[] | null): void;
  /** Ids of response_urls, once per post they refused. */
  refusedPosts: string[];
  /** Resolves with the next post to that response_url (or rejects after `timeoutMs`). */
  waitForPost(id: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the next Web API call of that method. */
  waitForCall(method: string, timeoutMs?: number): Promise<WebApiCall>;
  close(): Promise<void>;
}

/** Fields WebClient sends as JSON strings inside the form (a step's outputs included). */
const JSON_FIELDS = new Set(['view', 'blocks', 'attachments', 'metadata', 'outputs']);

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: WebApiCall[] = [];
  const posts: ResponsePost[] = [];
  const refusedPosts: string[] = [];
  const handlers = new Map<string, WebApiHandler>();
  const responseStatus = new Map<string, { status: number; times: number }>();
  const waiters: Array<{ resolve: (value: unknown) => void; kind: 'post' | 'call'; key: string }> = [];
  /** Posts and calls nobody has waited for yet, so a test can wait after the fact. */
  const unclaimed = new Map<string, unknown[]>();
  let nextId = 1;
  let viewCounter = 1;
  let botScopes: string[] | null = FAKE_BOT_SCOPES;

  handlers.set('auth.test', () => ({
    ok: true,
    url: 'https://test.slack.com/',
    team: 'Test',
    user: 'lookup',
    team_id: FAKE_TEAM_ID,
    user_id: FAKE_BOT_USER_ID,
    bot_id: 'B0BOT',
  }));
  const viewAnswer = (args: Record<string, unknown>) => {
    const view = (args.view ?? {}) as Record<string, unknown>;
    const id = (args.view_id as string | undefined) ?? `V${viewCounter++}`;
    return { ok: true, view: { ...view, id, hash: `hash-${Date.now()}-${viewCounter}` } };
  };
  handlers.set('views.open', viewAnswer);
  handlers.set('views.update', viewAnswer);
  handlers.set('views.push', viewAnswer);
  handlers.set('views.publish', viewAnswer);
  // A workflow step's end (docs/slack-platform.md §9.1): Slack answers `{ ok: true }`.
  handlers.set('functions.completeSuccess', () => ({ ok: true }));
  handlers.set('functions.completeError', () => ({ ok: true }));
  handlers.set('chat.postMessage', (args) => ({
    ok: true,
    channel: args.channel,
    ts: `${Date.now() / 1000}`,
    message: args,
  }));
  handlers.set('chat.postEphemeral', () => ({ ok: true, message_ts: `${Date.now() / 1000}` }));

  const defaults = new Map(handlers);

  function settle(kind: 'post' | 'call', key: string, value: unknown): boolean {
    const index = waiters.findIndex((w) => w.kind === kind && w.key === key);
    if (index === -1) {
      const queue = unclaimed.get(`${kind}:${key}`) ?? [];
      queue.push(value);
      unclaimed.set(`${kind}:${key}`, queue);
      return false;
    }
    const [waiter] = waiters.splice(index, 1);
    waiter?.resolve(value);
    return true;
  }

  const server: LocalServer = await listen((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = await readBody(req);
      if (url.pathname.startsWith('/api/'))
        return answerWebApi(url.pathname.slice(5), raw, req.headers.authorization, res);
      if (url.pathname.startsWith('/response/')) return answerResponseUrl(url.pathname.slice(10), raw, res);
      res.writeHead(404).end();
    })();
  });

  function answerWebApi(method: string, raw: string, authorization: string | undefined, res: ServerResponse): void {
    const args: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw)) {
      args[key] = JSON_FIELDS.has(key) ? safeJson(value) : value;
    }
    const token = authorization?.replace(/^Bearer /, '') ?? (args.token as string | undefined);
    const handler = handlers.get(method);
    const answer = handler ? handler(args, { token }) : { ok: false, error: 'unknown_method' };
    const limited = typeof answer === 'object' && 'rateLimitedFor' in answer ? (answer as RateLimited) : undefined;
    const call: WebApiCall = {
      method,
      args,
      token,
      ...(typeof answer === 'string'
        ? {}
        : { answer: limited ? { ok: false, error: 'ratelimited' } : (answer as Record<string, unknown>) }),
    };
    calls.push(call);
    const scopes = token?.startsWith('xapp-') ? ['connections:write'] : token?.startsWith('xoxb-') ? botScopes : null;
    const headers: Record<string, string> = scopes ? { 'x-oauth-scopes': scopes.join(', ') } : {};
    if (answer === 'drop') res.socket?.destroy();
    else if (answer === 'hang') return void settle('call', method, call);
    else if (limited)
      sendJson(
        res,
        429,
        { ok: false, error: 'ratelimited' },
        { ...headers, 'retry-after': String(limited.rateLimitedFor) },
      );
    else sendJson(res, 200, answer, headers);
    settle('call', method, call);
  }

  function answerResponseUrl(id: string, raw: string, res: ServerResponse): void {
    const failing = responseStatus.get(id);
    const status = failing && failing.times > 0 ? failing.status : 200;
    if (failing) failing.times -= 1;
    if (status !== 200) {
      refusedPosts.push(id);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 404 ? 'expired_url' : 'error');
      return;
    }
    const body = safeJson(raw) as Record<string, unknown>;
    posts.push({ id, body });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
    settle('post', id, body);
  }

  function wait<T>(kind: 'post' | 'call', key: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queue = unclaimed.get(`${kind}:${key}`);
      if (queue && queue.length > 0) {
        resolve(queue.shift() as T);
        return;
      }
      const timer = setTimeout(() => {
        const index = waiters.findIndex((w) => w.resolve === done);
        if (index !== -1) waiters.splice(index, 1);
        reject(new Error(`no ${kind} for ${key} within ${timeoutMs} ms`));
      }, timeoutMs);
      // A wait nobody needs any more (its sender was killed) must not hold the test process open.
      timer.unref();
      const done = (value: unknown) => {
        clearTimeout(timer);
        resolve(value as T);
      };
      waiters.push({ kind, key, resolve: done });
    });
  }

  return {
    url: server.url,
    apiUrl: `${server.url}/api/`,
    calls,
    posts,
    refusedPosts,
    on: (method, handler) => handlers.set(method, handler),
    off: (method) => {
      const original = defaults.get(method);
      if (original) handlers.set(method, original);
      else handlers.delete(method);
    },
    setBotScopes: (scopes) => {
      botScopes = scopes;
    },
    responseUrl: (options = {}) => {
      const id = `r${nextId++}`;
      if (options.status)
        responseStatus.set(id, { status: options.status, times: options.times ?? Number.POSITIVE_INFINITY });
      return { id, url: `${server.url}/response/${id}` };
    },
    waitForPost: (id, timeoutMs = 5000) => wait('post', id, timeoutMs),
    waitForCall: (method, timeoutMs = 5000) => wait('call', method, timeoutMs),
    close: () => server.close(),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
