import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlack } from './fake-slack.js';
import { type LocalServer, listen } from './http.js';

/**
 * A local stand-in for Slack's Socket Mode, plugged into the fake Slack: `apps.connections.open` (with the app
 * token) hands out a one-time `ws://127.0.0.1:<port>/link?ticket=…`; each connection is greeted with `hello`;
 * tests push envelopes and get the app's ack back; and Slack's disconnect request or a cut connection can be
 * played. Message shapes: docs/slack-platform.md §5.2 and Slack's "Using Socket Mode" page (hello, disconnect,
 * envelope, ack).
 */

export const FAKE_APP_TOKEN = 'xapp-1-A0APP-0000000000-fake';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketAck {
  envelope_id: string;
  /** The ack body (Bolt sends `{}` for an ack without one). */
  payload?: Record<string, unknown>;
  /** From sending the envelope to receiving the ack. */
  ackMs: number;
}

/**
 * What `apps.connections.open` answers: a working URL, a Slack error, no answer (connection dropped), or a URL
 * whose WebSocket is refused (an unknown ticket: the upgrade gets 401).
 */
export type OpenAnswer = { kind: 'url' } | { kind: 'error'; error: string } | { kind: 'drop' } | { kind: 'bad-ticket' };

export interface FakeSocketMode {
  /** Every `apps.connections.open` call's token, in order. */
  readonly openTokens: string[];
  /** WebSocket connections accepted (each greeted with hello, unless `greet(false)`). */
  readonly connections: number;
  /** Connections open now. */
  readonly open: number;
  /** Sets what apps.connections.open answers from now on. */
  answerOpen(answer: OpenAnswer): void;
  /** Whether connections opened from now on are greeted with hello (default true). */
  greet(on: boolean): void;
  /** Resolves once `count` connections in total have been greeted. */
  waitForConnections(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves once no connection is open. */
  waitForNoConnection(timeoutMs?: number): Promise<void>;
  /** Sends an envelope on the newest open connection; resolves with the app's ack. */
  send(type: EnvelopeType, payload: Record<string, unknown>, timeoutMs?: number): Promise<SocketAck>;
  /** Sends `{"type":"disconnect","reason":…}` on every open connection, as Slack does before recycling one. */
  disconnect(reason?: string): void;
  /** Drops every open connection without a close frame. */
  cut(): void;
  close(): Promise<void>;
}

export interface FakeSocketModeOptions {
  /** The app-level token Slack accepts (default FAKE_APP_TOKEN). */
  appToken?: string;
}

export async function startFakeSocketMode(
  slack: FakeSlack,
  options: FakeSocketModeOptions = {},
): Promise<FakeSocketMode> {
  const appToken = options.appToken ?? FAKE_APP_TOKEN;
  const openTokens: string[] = [];
  const tickets = new Set<string>();
  const sockets: WebSocket[] = [];
  const pendingAcks = new Map<string, (ack: Record<string, unknown>) => void>();
  let openAnswer: OpenAnswer = { kind: 'url' };
  let connections = 0;
  let greeting = true;
  const connectionWaiters = new Set<() => void>();

  const wss = new WebSocketServer({ noServer: true });
  const server: LocalServer = await listen((_req, res) => res.writeHead(426).end());
  server.server.on('upgrade', (req: IncomingMessage, socket, head) => {
    // Like Slack's, a ticket is good for one connection.
    const ticket = new URL(req.url ?? '/', 'http://fake').searchParams.get('ticket');
    if (!ticket || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket): void {
    sockets.push(ws);
    connections += 1;
    ws.on('close', () => {
      const index = sockets.indexOf(ws);
      if (index !== -1) sockets.splice(index, 1);
      notify();
    });
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      const envelopeId = message.envelope_id;
      if (typeof envelopeId === 'string') pendingAcks.get(envelopeId)?.(message);
    });
    if (greeting) {
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: sockets.length,
          debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: 'A0APP' },
        }),
      );
    }
    notify();
  }

  function notify(): void {
    for (const waiter of connectionWaiters) waiter();
  }

  function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        connectionWaiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        connectionWaiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      connectionWaiters.add(check);
      check();
    });
  }

  slack.on('apps.connections.open', (_args, { token }) => {
    openTokens.push(token ?? '');
    if (openAnswer.kind === 'drop') return 'drop';
    if (openAnswer.kind === 'error') return { ok: false, error: openAnswer.error };
    if (!token?.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
    if (token !== appToken) return { ok: false, error: 'invalid_auth' };
    const ticket = randomUUID();
    if (openAnswer.kind !== 'bad-ticket') tickets.add(ticket);
    return { ok: true, url: `ws://127.0.0.1:${server.port}/link/?ticket=${ticket}` };
  });

  return {
    openTokens,
    get connections() {
      return connections;
    },
    get open() {
      return sockets.length;
    },
    answerOpen: (answer) => {
      openAnswer = answer;
    },
    greet: (on) => {
      greeting = on;
    },
    waitForConnections: (count, timeoutMs = 5000) =>
      until(() => connections >= count && sockets.length > 0, timeoutMs, `${count} Socket Mode connection(s)`),
    waitForNoConnection: (timeoutMs = 5000) => until(() => sockets.length === 0, timeoutMs, 'no open connection'),
    send(type, payload, timeoutMs = 5000) {
      const ws = sockets.at(-1);
      if (!ws) return Promise.reject(new Error('no open Socket Mode connection'));
      const envelopeId = randomUUID();
      const started = performance.now();
      return new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingAcks.delete(envelopeId);
          reject(new Error(`no ack for ${type} envelope within ${timeoutMs} ms`));
        }, timeoutMs);
        pendingAcks.set(envelopeId, (ack) => {
          clearTimeout(timer);
          pendingAcks.delete(envelopeId);
          resolve({
            envelope_id: envelopeId,
            ...(ack.payload !== undefined ? { payload: ack.payload as Record<string, unknown> } : {}),
            ackMs: performance.now() - started,
          });
        });
        ws.send(
          JSON.stringify({
            envelope_id: envelopeId,
            type,
            payload,
            // Slack lets commands and interactions answer in the ack; events only acknowledge.
            accepts_response_payload: type !== 'events_api',
            ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
          }),
        );
      });
    },
    disconnect(reason = 'refresh_requested') {
      const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } });
      for (const ws of sockets) ws.send(message);
    },
    cut() {
      for (const ws of [...sockets]) ws.terminate();
    },
    async close() {
      slack.off('apps.connections.open');
      for (const ws of [...sockets]) ws.terminate();
      wss.close();
      await server.close();
    },
  };
}
