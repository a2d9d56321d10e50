/**
 * `npm run bench` (not part of `npm test`): the real app (dist/index.js, HTTP mode, in its own process) against the
 * local fakes, the fake Komerza enforcing Komerza's token bucket (12, +4 every 2 s) and adding latency (default
 * 150 ms; BENCH_KOMERZA_LATENCY_MS), driven with signed `/customer` requests. Prints a table and writes
 * bench-results/latest.json. Every wait is bounded and a watchdog ends the run, so it always exits by itself.
 *
 * The five figures (issue 5):
 * 1. ack latency p50/p99 with 200 concurrent commands;
 * 2. time to card p50/p99, cached and uncached (one lookup at a time, paced so the bucket never makes them wait);
 * 3. throughput on a cached customer, as a ratio to a bare Bolt app (scripts/bare-bolt-app.ts) in the same run;
 * 4. a burst of 100 lookups over 10 new customers: Komerza calls, 429s, time to the last card;
 * 5. render time p99 of a card for a customer with 1,000 tickets, 1,000 subscriptions and 1,000 orders (the card shows
 *    the newest 10), and the app's peak RSS.
 * 6. (issue 12) 1, 2 and 3 replicas sharing one Redis, each set against a fresh Komerza bucket: a burst of 60 lookups
 *    over 20 new customers, round-robin over the replicas: Komerza calls, 429s, time to the last card.
 * 7. (issue 14) ticket replies from a card: the submission's ack, the time from Send reply to the thread shown with the
 *    reply, PUTs sent per reply, and the render time of a 1,000-message thread.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus } from 'node:os';
import { customerCard } from '../src/blocks/card.js';
import { ticketThreadModal } from '../src/blocks/ticket-thread.js';
import { customerSchema, orderListItemSchema, subscriptionSchema, ticketSchema } from '../src/komerza/schemas.js';
import type { CustomerProfile } from '../src/lookup/profile.js';
import { ordersOf, summariseSubscription } from '../src/lookup/summaries.js';
import { BLOCKS, INPUTS } from '../src/slack/ids.js';
import { decodeValue, ticketButton } from '../src/slack/values.js';
import { blockKitViolations } from '../test/support/block-kit-limits.js';
import { FAKE_API_KEY, type FakeKomerza, startFakeKomerza } from '../test/support/fake-komerza.js';
import { FAKE_BOT_TOKEN, type FakeSlack, startFakeSlack } from '../test/support/fake-slack.js';
import { clickPayload, viewSubmissionPayload } from '../test/support/interaction-payloads.js';
import { startRedisChild } from '../test/support/redis.js';
import { addCustomers, type SampleData, STORE_ID } from '../test/support/sample-store.js';
import { signSlackRequest } from '../test/support/sign.js';
import { buttons } from '../test/support/slack-payloads.js';
import { slashCommandBody } from '../test/support/slash-command.js';

const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
const LATENCY_MS = Number(process.env.BENCH_KOMERZA_LATENCY_MS ?? 150);
const WATCHDOG_MS = 6 * 60_000;
const POST_TIMEOUT_MS = 90_000;
const BIG_EMAIL = 'bigcustomer@example.net';

const children: ChildProcess[] = [];
const watchdog = setTimeout(() => {
  process.stderr.write('bench: watchdog fired (over 6 minutes); stopping\n');
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return round(sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2, 2);
}
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Starts a child process with its stdout going to a file (a pipe the bench must drain would throttle the app's
 * synchronous log writes whenever the bench is busy) and resolves with the port it reports there.
 */
async function startChild(
  name: string,
  args: string[],
  env: Record<string, string>,
  portPattern: RegExp,
): Promise<{ child: ChildProcess; port: number }> {
  mkdirSync('bench-results', { recursive: true });
  const logPath = `bench-results/${name}.log`;
  const out = openSync(logPath, 'w');
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', out, out],
  });
  children.push(child);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  for (let waited = 0; waited < 20_000; waited += 50) {
    await sleep(50);
    const match = portPattern.exec(readFileSync(logPath, 'utf8'));
    if (match) return { child, port: Number(match[1]) };
    if (exited !== undefined) break;
  }
  throw new Error(`${name} did not start (see ${logPath}): ${readFileSync(logPath, 'utf8').slice(-500)}`);
}

/** Resident set size (VmRSS) or its peak (VmHWM) of a process (Linux /proc), in MiB; undefined elsewhere. */
function rssMiB(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(status);
    return match ? round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

interface Target {
  url: string;
  slack: FakeSlack;
}

/**
 * One keep-alive pool for every request the bench sends (Slack, too, reuses connections). Idle sockets are dropped
 * after 4 s, before the servers' own 5 s keep-alive timeout: reusing one the server is closing at that moment fails
 * with "socket hang up" (it did, once, for the bare app's burst after it had sat idle while the app's cards came).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 512, timeout: 4000 });

/**
 * POSTs with node:http, timing from the moment the request has been flushed to the socket ('finish') to the end
 * of the response: a single-threaded load generator firing 200 requests at once would otherwise count its own
 * queue (seconds of fetch() overhead on 2 cores) as the app's latency.
 */
function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    let flushedAt = performance.now();
    const request = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: 30_000,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - flushedAt }));
        response.on('error', reject);
      },
    );
    request.on('finish', () => {
      flushedAt = performance.now();
    });
    request.on('timeout', () => request.destroy(new Error('request timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

/** Sends one signed `/customer` command; resolves with the response id and the ack latency. */
async function command(target: Target, text: string): Promise<{ responseId: string; ackMs: number; sentAt: number }> {
  const response = target.slack.responseUrl();
  const body = slashCommandBody({ text, responseUrl: response.url, triggerId: `trigger-${response.id}` });
  const sentAt = performance.now();
  const answer = await post(`${target.url}/slack/events`, body, signSlackRequest(SIGNING_SECRET, body));
  if (answer.status !== 200) throw new Error(`ack was HTTP ${answer.status}`);
  return { responseId: response.id, ackMs: answer.ms, sentAt };
}

interface Delivered {
  card: Record<string, unknown>;
  at: number;
  queued: boolean;
}

/** Waits for the final answer at a response_url, skipping a "queued" notice (at most one comes first). */
async function finalPost(slack: FakeSlack, responseId: string): Promise<Delivered> {
  let post = await slack.waitForPost(responseId, POST_TIMEOUT_MS);
  let queued = false;
  if (String(post.text).startsWith('Queued')) {
    queued = true;
    post = await slack.waitForPost(responseId, POST_TIMEOUT_MS);
  }
  return { card: post, at: performance.now(), queued };
}

/** One lookup, start to card, checked to be the expected customer's card. */
async function lookup(target: Target, email: string): Promise<{ ackMs: number; cardMs: number; queued: boolean }> {
  const sent = await command(target, email);
  const delivered = await finalPost(target.slack, sent.responseId);
  if (!JSON.stringify(delivered.card).includes(email)) {
    throw new Error(`lookup did not produce the card: ${String(delivered.card.text).slice(0, 120)}`);
  }
  return { ackMs: sent.ackMs, cardMs: delivered.at - sent.sentAt, queued: delivered.queued };
}

/** Closed-loop load for `durationMs` with `concurrency` workers; returns completed lookups per second. */
async function throughput(target: Target, text: string, concurrency: number, durationMs: number): Promise<number> {
  const deadline = performance.now() + durationMs;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const sent = await command(target, text);
        await target.slack.waitForPost(sent.responseId, POST_TIMEOUT_MS);
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

/** Round trips of a plain GET to a second fake Komerza with the same latency (sequential, after a warm-up). */
async function rawKomerzaLatency(): Promise<number[]> {
  const fake = await startFakeKomerza({ latencyMs: LATENCY_MS });
  const url = `${fake.url}/stores/${STORE_ID}/customers/${encodeURIComponent('jane@example.com')}/email`;
  const headers = { authorization: `Bearer ${FAKE_API_KEY}`, 'user-agent': 'bench/1.0' };
  const times: number[] = [];
  for (let i = 0; i < 25; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
    await response.json();
    if (i >= 5) times.push(performance.now() - started);
  }
  await fake.close();
  return times;
}

/** A customer with 1,000 tickets (half open, each with entries), 1,000 subscriptions and 1,000 orders. */
function addBigCustomer(data: SampleData, now: Date): void {
  const id = 'b1000000-0000-4000-8000-000000000001';
  const tickets = Array.from({ length: 1000 }, (_, i) => ({
    id: `b2000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    dateCreated: new Date(now.getTime() - i * 3_600_000).toISOString(),
    subject: `Ticket ${i}: *bold* <!channel> & a long subject line that goes on for a while to look realistic`,
    status: i % 5,
    storeId: STORE_ID,
    customerId: id,
    emailAddress: BIG_EMAIL,
    entries: [
      { id: `e${i}a`, dateCreated: now.toISOString(), message: 'Where is my order? '.repeat(10), name: 'Big' },
      { id: `e${i}b`, dateCreated: now.toISOString(), message: 'We are looking into it.', name: 'Support' },
    ],
  }));
  data.customers.push({
    id,
    dateCreated: new Date(now.getTime() - 800 * 86_400_000).toISOString(),
    emailAddress: BIG_EMAIL,
    status: 'VIP',
    totalSpend: 987654.32,
    averageSpend: 321.5,
    totalOrders: 3072,
    balance: 12,
    tickets,
  });
  for (let i = 0; i < 1000; i++) {
    data.subscriptions.push({
      id: `b3000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      customerId: id,
      customerEmail: BIG_EMAIL,
      productName: `Product ${i} with a fairly long name`,
      variantName: 'Yearly',
      status: 0,
      currentPeriodEnd: new Date(now.getTime() + (i - 500) * 86_400_000).toISOString(),
      autoRenew: i % 2 === 0,
      cancelAtPeriodEnd: i % 7 === 0,
      price: 9.99,
      currencyCode: 'USD',
    });
  }
  for (let i = 0; i < 1000; i++) {
    const orderId = `b4000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    data.orders.push({
      id: orderId,
      dateCreated: new Date(now.getTime() - i * 86_400_000).toISOString(),
      customer: { id: orderId, customerId: id, emailAddress: BIG_EMAIL },
      realCustomerId: id,
      status: i % 9 === 0 ? 'Refunded' : 'Delivered',
      amount: 19.99,
      amountPaid: 19.99,
      currencyCode: 'USD',
      gateway: 'stripe',
      items: [
        {
          productId: 'b5000000-0000-4000-8000-000000000001',
          productName: 'A product with a fairly long name',
          quantity: 2,
        },
        { productId: 'b5000000-0000-4000-8000-000000000002', productName: 'Another product', quantity: 1 },
      ],
      deliveredItems: [],
    });
  }
}

/** Figure 5: the pure render of the largest card, timed in this process. */
function renderTimes(data: SampleData, now: Date): { p50: number; p99: number; blocks: number; violations: string[] } {
  const raw = data.customers.find((c) => c.emailAddress === BIG_EMAIL);
  const customer = customerSchema.parse(raw);
  const items = data.subscriptions
    .filter((s) => s.customerEmail === BIG_EMAIL)
    .map((s) => summariseSubscription(subscriptionSchema.parse(s)));
  const orders = ordersOf(
    data.orders
      .filter((o) => o.customer.emailAddress === BIG_EMAIL)
      .map((o) => orderListItemSchema.parse({ ...o, customerEmail: o.customer.emailAddress })),
    customer,
  );
  const profile: CustomerProfile = {
    customer,
    store: { kind: 'loaded', store: { id: STORE_ID, name: 'Northwind Goods', currencyCode: 'USD' } },
    subscriptions: { kind: 'loaded', items, more: false },
    orders: { kind: 'loaded', items: orders.slice(0, 10), more: orders.length - 10, morePages: true },
    productNames: { kind: 'not_needed' },
  };
  const card = customerCard(profile, { now });
  for (let i = 0; i < 200; i++) customerCard(profile, { now });
  const times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const started = performance.now();
    customerCard(profile, { now });
    times.push(performance.now() - started);
  }
  return {
    p50: round(percentile(times, 50), 3),
    p99: round(percentile(times, 99), 3),
    blocks: card.blocks.length,
    violations: blockKitViolations(card as unknown as Record<string, unknown>, { surface: 'message' }),
  };
}

/** What every app process of the bench runs with (and its Komerza URL). */
const APP_SETTINGS = {
  PORT: '0',
  KOMERZA_API_KEY: FAKE_API_KEY,
  KOMERZA_STORE_ID: STORE_ID,
  LOG_LEVEL: 'info',
  LOG_FORMAT: 'json',
  // Komerza's bucket and the shipped defaults, spelled out so a local .env cannot change the run.
  KOMERZA_RATE_CAPACITY: '12',
  KOMERZA_RATE_REFILL: '4',
  KOMERZA_RATE_INTERVAL_MS: '2000',
  KOMERZA_CACHE_TTL_MS: '60000',
  KOMERZA_STORE_CACHE_TTL_MS: '600000',
  LOOKUP_QUEUE_NOTICE_MS: '3000',
  // The per-person limits would refuse the load generator's single user; they are checked in the access middleware
  // before any lookup work, so turning them off measures the lookup path.
  LOOKUPS_PER_USER_PER_MINUTE: '0',
  LOOKUPS_PER_USER_PER_HOUR: '0',
  // Figure 7: cards offer View & reply (the fake's key holds the ticket scopes).
  TICKET_ACTIONS: 'reply',
};

/** Jane's ticket waiting on the team, in the sample store. */
const REPLY_TICKET = 'b0000000-0000-4000-8000-000000000001';

/** Sends one signed interaction (a click or a submission); resolves with the ack's status and latency. */
async function interaction(target: Target, payload: Record<string, unknown>): Promise<{ status: number; ms: number }> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return post(`${target.url}/slack/events`, body, signSlackRequest(SIGNING_SECRET, body));
}

/**
 * Figure 7: `count` replies to Jane's ticket, each as a person makes it (the card, View & reply, the thread, Send
 * reply), paced at one per 3 s so Komerza's bucket (six calls a reply) never makes them wait.
 */
async function ticketReplies(app: Target, komerza: FakeKomerza, count: number) {
  const { slack } = app;
  const putsBefore = komerza.calls.filter((c) => c.method === 'PUT').length;
  const acks: number[] = [];
  const shown: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const sent = await command(app, 'jane@example.com');
    const { card } = await finalPost(slack, sent.responseId);
    const button = buttons(card).find(
      (b) => b.action_id === 'ticket_view' && decodeValue(ticketButton, String(b.value))?.ticketId === REPLY_TICKET,
    );
    if (!button) throw new Error('the card has no View & reply for the ticket');
    const response = slack.responseUrl();
    await interaction(app, clickPayload(button, { surface: 'message' }, response));
    const trigger = `trigger-click-${response.id}`;
    const opened = await slack.waitForCall('views.open', POST_TIMEOUT_MS);
    if (opened.args.trigger_id !== trigger) throw new Error('an unexpected views.open');
    const viewId = (opened.answer as { view: { id: string } }).view.id;
    const filled = await slack.waitForCall('views.update', POST_TIMEOUT_MS);
    const thread = { ...(filled.args.view as Record<string, unknown>), id: viewId, hash: `hash-${viewId}` };
    const text = `Reply ${i + 1} from the bench`;
    const submitted = performance.now();
    const ack = await interaction(
      app,
      viewSubmissionPayload(thread, { [BLOCKS.ticketReply]: { [INPUTS.ticketReply]: text } }),
    );
    if (ack.status !== 200) throw new Error(`the submission was answered HTTP ${ack.status}`);
    acks.push(ack.ms);
    const after = await slack.waitForCall('views.update', POST_TIMEOUT_MS);
    if (!JSON.stringify(after.args.view).includes(text)) throw new Error('the thread did not show the reply');
    shown.push(performance.now() - submitted);
    // The card behind the thread is read again and replaced through the click's response_url.
    await slack.waitForPost(response.id, POST_TIMEOUT_MS);
    await sleep(Math.max(0, 3000 - (performance.now() - started)));
  }
  return {
    replies: count,
    puts: komerza.calls.filter((c) => c.method === 'PUT').length - putsBefore,
    ackP50: round(percentile(acks, 50), 1),
    ackMax: round(Math.max(...acks), 1),
    shownP50: round(percentile(shown, 50)),
    shownMax: round(Math.max(...shown)),
  };
}

/** The thread modal of a ticket with 1,000 messages of 3,000 characters: render time and Block Kit's limits. */
function threadRenderTimes(now: Date) {
  const ticket = ticketSchema.parse({
    id: REPLY_TICKET,
    subject: 'A very long conversation',
    status: 4,
    emailAddress: 'jane@example.com',
    dateCreated: now.toISOString(),
    entries: Array.from({ length: 1000 }, (_, i) => ({
      id: `e${i}`,
      dateCreated: new Date(now.getTime() - (1000 - i) * 60_000).toISOString(),
      message: `<!channel> & ${'x'.repeat(2990)}`,
      name: i % 2 ? 'Support' : 'Jane',
    })),
  });
  const render = () => ticketThreadModal({ ticket, now, privateMetadata: '{}', reply: { kind: 'input' } });
  const view = render();
  for (let i = 0; i < 100; i++) render();
  const times: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const started = performance.now();
    render();
    times.push(performance.now() - started);
  }
  return {
    messages: 1000,
    p50: round(percentile(times, 50), 3),
    p99: round(percentile(times, 99), 3),
    violations: blockKitViolations(view as unknown as Record<string, unknown>, { surface: 'modal' }).length,
  };
}

const REPLICA_BURST = { lookups: 60, customers: 20 };

/**
 * Figure 6: `replicas` processes of dist/index.js sharing one Redis (a redis-server of the bench's own), against a
 * fake Komerza of their own enforcing Komerza's bucket (so every set starts from a full bucket at an unknown phase):
 * one burst of 60 lookups over 20 customers, every request to the next replica in turn, as a load balancer would.
 */
async function replicaRow(
  replicas: number,
  slack: FakeSlack,
  common: Record<string, string>,
  callsPerLookup: number,
): Promise<{
  replicas: number;
  komerzaCalls: number;
  callBudget: number;
  rateLimited429: number;
  lastCardMs: number;
  queuedNotices: number;
}> {
  const komerza = await startFakeKomerza({
    latencyMs: LATENCY_MS,
    rateLimit: { capacity: 12, refillAmount: 4, refillIntervalMs: 2000 },
  });
  const emails = addCustomers(komerza.data, REPLICA_BURST.customers);
  const redis = await startRedisChild();
  const started = await Promise.all(
    Array.from({ length: replicas }, (_, i) =>
      startChild(
        `replicas-${replicas}-${i}`,
        ['dist/index.js'],
        {
          ...common,
          ...APP_SETTINGS,
          KOMERZA_API_URL: komerza.url,
          REDIS_URL: redis.url,
          KOMERZA_REPLICAS: String(replicas),
        },
        /Listening for Slack on port (\d+)/,
      ),
    ),
  );
  try {
    const targets: Target[] = started.map(({ port }) => ({ url: `http://127.0.0.1:${port}`, slack }));
    // The start-up key checks spent tokens, and a fresh Redis starts its bucket as just emptied: let it fill.
    await sleep(6500);
    const callsBefore = komerza.calls.length;
    const burstStarted = performance.now();
    const burst = await Promise.all(
      Array.from({ length: REPLICA_BURST.lookups }, (_, i) =>
        lookup(targets[i % replicas] as Target, emails[i % emails.length] as string),
      ),
    );
    return {
      replicas,
      komerzaCalls: komerza.calls.length - callsBefore,
      // What one replica makes: each customer's two reads (the store was read at start-up and shared).
      // One replica's calls for these customers (customer, subscriptions, orders: figure 2's count), wherever they land.
      callBudget: Math.round(REPLICA_BURST.customers * callsPerLookup),
      rateLimited429: komerza.rateLimited,
      lastCardMs: Math.round(performance.now() - burstStarted),
      queuedNotices: burst.filter((b) => b.queued).length,
    };
  } finally {
    await Promise.all(
      started.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await Promise.all([komerza.close(), redis.stop()]);
  }
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  const now = new Date();
  const komerza: FakeKomerza = await startFakeKomerza({
    latencyMs: LATENCY_MS,
    rateLimit: { capacity: 12, refillAmount: 4, refillIntervalMs: 2000 },
  });
  const emails = addCustomers(komerza.data, 200, now);
  addBigCustomer(komerza.data, now);
  const slack = await startFakeSlack();

  const common = { SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl };
  process.stdout.write('bench: starting the app (dist/index.js) and the bare Bolt baseline…\n');
  const appProcess = await startChild(
    'app',
    ['dist/index.js'],
    {
      ...common,
      ...APP_SETTINGS,
      KOMERZA_API_URL: komerza.url,
    },
    /Listening for Slack on port (\d+)/,
  );
  const bareProcess = await startChild('bare', ['--import', 'tsx', 'scripts/bare-bolt-app.ts'], common, /PORT (\d+)/);
  const app: Target = { url: `http://127.0.0.1:${appProcess.port}`, slack };
  const appStartRssMiB = rssMiB(appProcess.child.pid, 'VmRSS');
  const bare: Target = { url: `http://127.0.0.1:${bareProcess.port}`, slack };

  // Sets of customers that no phase shares, so "uncached" really is.
  const ackSet = emails.slice(100, 110);
  const uncachedSet = emails.slice(20, 40);
  const burstSet = emails.slice(0, 10);
  const cached = 'jane@example.com';

  process.stdout.write('bench: warming up…\n');
  for (let i = 0; i < 30; i++) await lookup(app, cached);
  for (let i = 0; i < 30; i++) await lookup(bare, 'static').catch(() => undefined);

  // 1. Ack latency with 200 concurrent commands (20 per customer over 10 customers).
  process.stdout.write('bench: 1/7 ack latency at 200 concurrent…\n');
  // One unmeasured burst per app first (a cached customer), so both are measured with warm code and connections.
  for (const target of [app, bare]) {
    const warm = await Promise.all(
      Array.from({ length: 200 }, () => command(target, target === app ? cached : 'static')),
    );
    await Promise.all(warm.map((w) => finalPost(slack, w.responseId)));
  }
  const ackStarted = performance.now();
  const sends = await Promise.all(
    Array.from({ length: 200 }, (_, i) => command(app, ackSet[i % ackSet.length] ?? cached)),
  );
  const ackCards = await Promise.all(sends.map((s) => finalPost(slack, s.responseId)));
  const ackMs = sends.map((s) => s.ackMs);
  const lastCardMs = Math.round(Math.max(...ackCards.map((c) => c.at)) - ackStarted);
  // The same burst against the bare Bolt app: the floor this machine, Bolt and the load generator set.
  const bareSends = await Promise.all(Array.from({ length: 200 }, () => command(bare, 'static')));
  await Promise.all(bareSends.map((s) => slack.waitForPost(s.responseId, POST_TIMEOUT_MS)));
  const bareAckMs = bareSends.map((s) => s.ackMs);
  const ackPhase = {
    concurrent: 200,
    p50: round(percentile(ackMs, 50)),
    p99: round(percentile(ackMs, 99)),
    max: round(Math.max(...ackMs)),
    bareP50: round(percentile(bareAckMs, 50)),
    bareP99: round(percentile(bareAckMs, 99)),
    lastCardMs,
    queuedNotices: ackCards.filter((c) => c.queued).length,
  };

  // 2. Time to card, one lookup at a time. Wait for the bucket to fill, then pace uncached lookups (3 tokens each:
  //    customer, subscriptions, orders) at one per 1.6 s, under Komerza's 2/s, so what is measured is latency, not
  //    queueing.
  process.stdout.write('bench: 2/7 time to card (uncached lookups are paced; ~35 s)…\n');
  await sleep(6500);
  const callsBeforeUncached = komerza.calls.length;
  const uncachedMs: number[] = [];
  for (const email of uncachedSet) {
    const started = performance.now();
    uncachedMs.push((await lookup(app, email)).cardMs);
    await sleep(Math.max(0, 1600 - (performance.now() - started)));
  }
  const callsPerLookup = (komerza.calls.length - callsBeforeUncached) / uncachedSet.length;
  await lookup(app, cached); // refresh the cached customer's entries (TTL 60 s)
  const callsBeforeCached = komerza.calls.length;
  const cachedMs: number[] = [];
  for (let i = 0; i < 500; i++) cachedMs.push((await lookup(app, cached)).cardMs);
  const raw = await rawKomerzaLatency();
  const cardPhase = {
    komerzaLatencyMs: LATENCY_MS,
    // A bare GET to a fake Komerza with the same latency (no bucket): what "Komerza's latency" costs end to end.
    rawKomerzaP50: round(percentile(raw, 50)),
    rawKomerzaP99: round(percentile(raw, 99)),
    ownUncachedP50: round(percentile(uncachedMs, 50) - percentile(raw, 50)),
    // Against Komerza's typical (p50) latency: a difference of two p99s is noise (it can even come out negative),
    // whereas this bounds our own tail from above.
    ownUncachedP99: round(percentile(uncachedMs, 99) - percentile(raw, 50)),
    uncached: { n: uncachedMs.length, p50: round(percentile(uncachedMs, 50)), p99: round(percentile(uncachedMs, 99)) },
    cached: { n: cachedMs.length, p50: round(percentile(cachedMs, 50)), p99: round(percentile(cachedMs, 99)) },
    komerzaCallsPerUncachedLookup: round(callsPerLookup, 2),
    komerzaCallsDuringCached: komerza.calls.length - callsBeforeCached,
  };

  // 3. Throughput on a cached customer vs the bare Bolt app, alternating A B A B to share any drift.
  process.stdout.write('bench: 3/7 throughput vs a bare Bolt app (~26 s)…\n');
  await lookup(app, cached);
  await throughput(app, cached, 16, 1000);
  await throughput(bare, 'static', 16, 1000);
  // This machine's speed drifts by tens of percent over seconds (a shared VM): short alternating rounds, and the
  // median of the per-round ratios, compare the two apps under the same conditions.
  const rounds: Array<{ app: number; bare: number; ratio: number }> = [];
  for (let r = 0; r < 8; r++) {
    const ours = await throughput(app, cached, 16, 1500);
    const baseline = await throughput(bare, 'static', 16, 1500);
    rounds.push({ app: round(ours), bare: round(baseline), ratio: round(ours / baseline, 2) });
  }
  const throughputPhase = {
    concurrency: 16,
    appPerSecond: round(
      percentile(
        rounds.map((r) => r.app),
        50,
      ),
    ),
    barePerSecond: round(
      percentile(
        rounds.map((r) => r.bare),
        50,
      ),
    ),
    ratio: medianOf(rounds.map((r) => r.ratio)),
    rounds,
  };

  // 4. Burst: 100 lookups over 10 customers never looked up before, with the bucket full.
  process.stdout.write('bench: 4/7 burst of 100 lookups over 10 customers…\n');
  await sleep(6500);
  const callsBeforeBurst = komerza.calls.length;
  const limitedBeforeBurst = komerza.rateLimited;
  const burstStarted = performance.now();
  const burst = await Promise.all(Array.from({ length: 100 }, (_, i) => lookup(app, burstSet[i % 10] ?? cached)));
  const burstPhase = {
    lookups: 100,
    customers: 10,
    komerzaCalls: komerza.calls.length - callsBeforeBurst,
    callBudget: Math.round(10 * callsPerLookup),
    rateLimited429: komerza.rateLimited - limitedBeforeBurst,
    lastCardMs: Math.round(performance.now() - burstStarted),
    queuedNotices: burst.filter((b) => b.queued).length,
  };

  // 5. The largest card: render time here, and its lookup through the app before reading the app's peak RSS.
  process.stdout.write('bench: 5/7 largest card…\n');
  await sleep(2000);
  const bigLookup = await lookup(app, BIG_EMAIL);
  const render = renderTimes(komerza.data, now);
  const renderPhase = {
    tickets: 1000,
    subscriptions: 1000,
    orders: 1000,
    renderP50Ms: render.p50,
    renderP99Ms: render.p99,
    blocks: render.blocks,
    blockKitViolations: render.violations.length,
    lookupThroughAppMs: Math.round(bigLookup.cardMs),
    appPeakRssMiB: rssMiB(appProcess.child.pid, 'VmHWM'),
    appRssAfterStartMiB: appStartRssMiB,
    totalKomerza429s: komerza.rateLimited,
  };

  // 7. Ticket replies through the app (before it stops), and the thread modal's render time here.
  process.stdout.write('bench: 6/7 ticket replies, figure 7 (paced; ~35 s)…\n');
  await sleep(6500);
  const replyPhase = { ...(await ticketReplies(app, komerza, 10)), threadRender: threadRenderTimes(now) };

  // 6. Replicas sharing one Redis: the same burst against 1, 2 and 3 processes. The single app stops first, so the
  //    sets do not share the machine with it.
  for (const child of children) child.kill('SIGTERM');
  process.stdout.write('bench: 7/7 replicas 1, 2, 3 sharing one Redis, figure 6 (~90 s)…\n');
  const replicaRows = [];
  for (const n of [1, 2, 3]) replicaRows.push(await replicaRow(n, slack, common, callsPerLookup));
  const replicasPhase = { ...REPLICA_BURST, komerzaBucket: '12, +4 every 2 s', rows: replicaRows };

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
    komerzaBucket: { capacity: 12, refillAmount: 4, refillIntervalMs: 2000 },
    ack: ackPhase,
    timeToCard: cardPhase,
    throughput: throughputPhase,
    burst: burstPhase,
    largestCard: renderPhase,
    replicas: replicasPhase,
    ticketReplies: replyPhase,
    benchSeconds: Math.round((performance.now() - benchStarted) / 1000),
  };

  for (const child of children) child.kill('SIGTERM');
  await Promise.all([komerza.close(), slack.close()]);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\n${table(results)}\n\nWritten to bench-results/latest.json\n`);
}

type Results = {
  machine: { cpus: number; cpuModel: string; node: string };
  ack: { p50: number; p99: number; concurrent: number; bareP50: number; bareP99: number };
  timeToCard: {
    komerzaLatencyMs: number;
    rawKomerzaP50: number;
    rawKomerzaP99: number;
    ownUncachedP50: number;
    ownUncachedP99: number;
    uncached: { p50: number; p99: number };
    cached: { p50: number; p99: number };
    komerzaCallsPerUncachedLookup: number;
  };
  throughput: { ratio: number; appPerSecond: number; barePerSecond: number };
  burst: {
    komerzaCalls: number;
    callBudget: number;
    rateLimited429: number;
    lastCardMs: number;
    queuedNotices: number;
  };
  largestCard: { renderP99Ms: number; appPeakRssMiB: number | undefined; appRssAfterStartMiB: number | undefined };
  ticketReplies: {
    replies: number;
    puts: number;
    ackP50: number;
    ackMax: number;
    shownP50: number;
    shownMax: number;
    threadRender: { messages: number; p50: number; p99: number; violations: number };
  };
  replicas: {
    lookups: number;
    customers: number;
    rows: Array<{
      replicas: number;
      komerzaCalls: number;
      callBudget: number;
      rateLimited429: number;
      lastCardMs: number;
      queuedNotices: number;
    }>;
  };
};

function table(r: Results): string {
  const rows: Array<[string, string, string]> = [
    ['Figure', 'Measured', 'Target'],
    [`1. Ack p50 / p99 (${r.ack.concurrent} concurrent)`, `${r.ack.p50} / ${r.ack.p99} ms`, 'p99 < 50 ms'],
    ['↳ same burst, bare Bolt app p50 / p99', `${r.ack.bareP50} / ${r.ack.bareP99} ms`, '(reference)'],
    [
      `2. Time to card, uncached p50 / p99 (Komerza ${r.timeToCard.komerzaLatencyMs} ms)`,
      `${r.timeToCard.uncached.p50} / ${r.timeToCard.uncached.p99} ms`,
      'Komerza latency + < 5 ms',
    ],
    [
      '↳ plain GET to the fake Komerza p50 / p99',
      `${r.timeToCard.rawKomerzaP50} / ${r.timeToCard.rawKomerzaP99} ms`,
      '(Komerza latency)',
    ],
    ['↳ own time, uncached p50 / p99', `${r.timeToCard.ownUncachedP50} / ${r.timeToCard.ownUncachedP99} ms`, '< 5 ms'],
    ['↳ Time to card, cached p50 / p99', `${r.timeToCard.cached.p50} / ${r.timeToCard.cached.p99} ms`, '< 5 ms own'],
    [
      '3. Throughput, cached, vs bare Bolt (median ratio)',
      `${r.throughput.ratio.toFixed(2)} (${r.throughput.appPerSecond} vs ${r.throughput.barePerSecond} /s)`,
      '≥ 0.8',
    ],
    [
      '4. Burst 100 lookups / 10 customers: Komerza calls',
      `${r.burst.komerzaCalls} (${r.timeToCard.komerzaCallsPerUncachedLookup} per lookup)`,
      `≤ ${r.burst.callBudget}`,
    ],
    ['↳ 429s received', String(r.burst.rateLimited429), '0'],
    ['↳ Time to last card', `${r.burst.lastCardMs} ms (${r.burst.queuedNotices} "queued" notices)`, '—'],
    ['5. Render p99, 1,000 tickets + 1,000 subscriptions + 1,000 orders', `${r.largestCard.renderP99Ms} ms`, '< 5 ms'],
    [
      '↳ App peak RSS (after start)',
      `${r.largestCard.appPeakRssMiB ?? 'n/a'} MiB (${r.largestCard.appRssAfterStartMiB ?? 'n/a'} MiB)`,
      '—',
    ],
    ...r.replicas.rows.map((row, i): [string, string, string] => [
      i === 0
        ? `6. ${r.replicas.lookups} lookups / ${r.replicas.customers} customers, ${row.replicas} replica + Redis`
        : `↳ ${row.replicas} replicas sharing one Redis`,
      `${row.komerzaCalls} calls, ${row.rateLimited429} × 429, last card ${row.lastCardMs} ms`,
      `≤ ${row.callBudget} calls, 0 × 429`,
    ]),
    [
      `7. Ticket reply: Send reply ack p50 / max (${r.ticketReplies.replies} replies)`,
      `${r.ticketReplies.ackP50} / ${r.ticketReplies.ackMax} ms`,
      '< 3000 ms (Slack)',
    ],
    [
      '↳ Send reply → thread shown with the reply p50 / max',
      `${r.ticketReplies.shownP50} / ${r.ticketReplies.shownMax} ms`,
      'PUT + GET latency',
    ],
    ['↳ PUTs sent', `${r.ticketReplies.puts} for ${r.ticketReplies.replies} replies`, 'exactly 1 per reply'],
    [
      `↳ Thread render p50 / p99, ${r.ticketReplies.threadRender.messages} messages`,
      `${r.ticketReplies.threadRender.p50} / ${r.ticketReplies.threadRender.p99} ms (${r.ticketReplies.threadRender.violations} limit violations)`,
      '< 5 ms, 0',
    ],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c]?.length ?? 0)));
  const line = (row: [string, string, string]) =>
    `| ${row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [
    `Machine: ${r.machine.cpus} CPUs (${r.machine.cpuModel}), Node ${r.machine.node}`,
    line(rows[0] as [string, string, string]),
    rule,
    ...rows.slice(1).map(line),
  ].join('\n');
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    for (const child of children) child.kill('SIGKILL');
    process.exit(1);
  });
