import { afterEach, describe, expect, it } from '@jest/globals';
import { MAX_KOMERZA_CALLS, runDoctor } from '../../src/checks/doctor.js';
import { formatJson, formatText } from '../../src/checks/report.js';
import type { Verdict } from '../../src/checks/verdict.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { FAKE_API_KEY, type FakeKomerza, type FakeKomerzaOptions, startFakeKomerza } from '../support/fake-komerza.js';
import { FAKE_BOT_TOKEN, type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { FAKE_APP_TOKEN, type FakeSocketMode, startFakeSocketMode } from '../support/fake-socket-mode.js';
import { appEnvironment, MODES, type Mode, socketEnvironment } from '../support/harness.js';
import { freePort } from '../support/redis.js';
import { IDS, sampleStore } from '../support/sample-store.js';

/**
 * `npm run doctor` (src/checks/doctor.ts) against the fakes: each verdict, the report's shapes, what it never prints,
 * and how many Komerza calls it makes.
 */

let komerza: FakeKomerza | undefined;
let slack: FakeSlack | undefined;
let socket: FakeSocketMode | undefined;

async function closeFakes(): Promise<void> {
  await Promise.all([komerza?.close(), slack?.close(), socket?.close()]);
  komerza = slack = socket = undefined;
}
afterEach(closeFakes);

/** Komerza-like limits unless a test says otherwise would make every file wait for refills: most tests do not. */
const UNLIMITED = { KOMERZA_RATE_CAPACITY: '10000', KOMERZA_RATE_REFILL: '10000', KOMERZA_RATE_INTERVAL_MS: '100' };

interface Run {
  komerza?: FakeKomerzaOptions;
  mode?: Mode;
  email?: string;
  env?: Record<string, string>;
  /** Changes to the fakes before the doctor runs. */
  before?: (fakes: { komerza: FakeKomerza; slack: FakeSlack; socket: FakeSocketMode | undefined }) => void;
}

async function doctor(run: Run = {}) {
  komerza = await startFakeKomerza(run.komerza);
  slack = await startFakeSlack();
  socket = run.mode === 'socket' ? await startFakeSocketMode(slack) : undefined;
  run.before?.({ komerza, slack, socket });
  const environment = run.mode === 'socket' ? socketEnvironment(komerza, slack) : appEnvironment(komerza, slack);
  const config = parseConfig({ ...environment, ...UNLIMITED, ...run.env });
  const logs: string[] = [];
  const report = await runDoctor(config, {
    ...(run.email ? { email: run.email } : {}),
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    slackRetries: 0,
  });
  const verdicts = report.sections.flatMap((section) => section.verdicts);
  const verdict = (id: string): Verdict => {
    const found = verdicts.find((v) => v.id === id);
    if (!found) throw new Error(`no verdict ${id} among ${verdicts.map((v) => v.id).join(', ')}`);
    return found;
  };
  return { report, verdicts, verdict, text: formatText(report), json: formatJson(report), logs, fake: komerza };
}

const JANE = 'jane@example.com';

describe.each(MODES)('%s mode', (mode) => {
  it('passes every check against the sample store, with the customer jane@example.com', async () => {
    const { report, verdicts, verdict, text, fake } = await doctor({ mode, email: JANE });
    expect(report.exitCode).toBe(0);
    expect(verdicts.filter((v) => v.status === 'fail')).toEqual([]);
    // Jane has no subscriptions: that filter cannot be seen at work. In HTTP mode the Request URLs are a reminder.
    const unknown = verdicts.filter((v) => v.status === 'unknown').map((v) => v.id);
    expect(unknown).toEqual(
      mode === 'socket'
        ? ['komerza.subscriptions_email_filter']
        : ['slack.request_urls', 'komerza.subscriptions_email_filter'],
    );
    expect(verdict('komerza.store').meaning).toContain('Northwind Goods');
    expect(verdict('slack.bot_token').meaning).toContain('workspace "Test" (T0TEST), bot user @lookup (U0BOT)');
    expect(verdict('komerza.customers_email_filter').meaning).toContain('"contains"');
    expect(verdict('komerza.orders_email_filter').meaning).toContain('"contains"');
    expect(verdict('komerza.orders_newest_first').status).toBe('ok');
    expect(verdict('komerza.product_ids').meaning).toMatch(/All 3 product id\(s\)/);
    expect(verdict('komerza.date_times').status).toBe('ok');
    expect(verdict('komerza.latency').meaning).toMatch(/takes \d+ ms \(median of 3/);
    expect(text).toMatch(/Summary: 20 checks: (19|18) ✓, 0 ✗, (1|2) \?; nothing required failed \(exit 0\)\./);

    // Frugal and read-only: every call a GET, no more than promised, and counted as Komerza saw them.
    expect(fake.calls.length).toBeLessThanOrEqual(MAX_KOMERZA_CALLS);
    expect(report.komerzaCalls).toBe(fake.calls.length);
    expect(new Set(fake.calls.map((call) => call.method))).toEqual(new Set(['GET']));
    if (mode === 'socket') {
      expect(verdict('slack.socket_mode').status).toBe('ok');
      // apps.connections.open was asked with the app token, and the WebSocket it offered was never opened.
      expect(socket?.openTokens).toEqual([FAKE_APP_TOKEN]);
      expect(socket?.connections).toBe(0);
    } else {
      expect(verdict('slack.request_urls').advice).toContain('/slack/events');
      expect(verdicts.some((v) => v.id === 'slack.socket_mode')).toBe(false);
    }
  });

  it('without --email, checks every route with an address nobody has and says what is left unchecked', async () => {
    const { report, verdict, fake } = await doctor({ mode });
    expect(report.exitCode).toBe(0);
    expect(verdict('komerza.customer').status).toBe('unknown');
    expect(verdict('komerza.customer').advice).toContain('--email');
    expect(verdict('komerza.customer_by_email').status).toBe('ok');
    expect(verdict('komerza.tickets').status).toBe('ok');
    // No customer's data was asked for: every address sent is the probe under .invalid.
    const emails = fake.calls.flatMap((call) => [call.query.get('email'), call.query.get('customerEmail')]);
    for (const email of emails.filter(Boolean)) expect(email).toMatch(/@example\.invalid$/);
    expect(fake.calls.length).toBe(9);
  });
});

describe('Slack verdicts', () => {
  it('names a scope the bot token lacks, and what it costs (exit 1)', async () => {
    const { report, verdict } = await doctor({ before: ({ slack }) => slack.setBotScopes(['commands']) });
    const scopes = verdict('slack.bot_scopes');
    expect(scopes).toMatchObject({ status: 'fail', required: true });
    expect(scopes.meaning).toContain('lacks chat:write, for Share into a thread');
    expect(scopes.advice).toContain('reinstall the app');
    expect(report.exitCode).toBe(1);
  });

  it('needs usergroups:read only when ALLOWED_USERGROUP_IDS is set', async () => {
    const { verdict } = await doctor({ env: { ALLOWED_USERGROUP_IDS: 'S0SUPPORT' } });
    expect(verdict('slack.bot_scopes').meaning).toContain('lacks usergroups:read');
  });

  it('says so when Slack sends no x-oauth-scopes header, without failing', async () => {
    const { report, verdict } = await doctor({ before: ({ slack }) => slack.setBotScopes(null) });
    expect(verdict('slack.bot_scopes')).toMatchObject({ status: 'unknown', required: false });
    expect(report.exitCode).toBe(0);
  });

  it('notes scopes the token has beyond what the app uses', async () => {
    const { verdict } = await doctor({
      before: ({ slack }) => slack.setBotScopes(['commands', 'chat:write', 'channels:history']),
    });
    expect(verdict('slack.bot_scopes')).toMatchObject({ status: 'ok' });
    expect(verdict('slack.bot_scopes').meaning).toContain('also has channels:history');
  });

  it('fails a rejected bot token, and skips the scopes it could not read', async () => {
    const { report, verdict, verdicts } = await doctor({
      before: ({ slack }) => slack.on('auth.test', () => ({ ok: false, error: 'invalid_auth' })),
    });
    expect(verdict('slack.bot_token')).toMatchObject({ status: 'fail', required: true });
    expect(verdict('slack.bot_token').meaning).toBe('Slack rejected SLACK_BOT_TOKEN (invalid_auth).');
    expect(verdicts.some((v) => v.id === 'slack.bot_scopes')).toBe(false);
    expect(report.exitCode).toBe(1);
  });

  it('fails an app-level token Slack refuses, without opening any WebSocket (exit 1)', async () => {
    const { report, verdict } = await doctor({ mode: 'socket', env: { SLACK_APP_TOKEN: 'xapp-1-A0APP-1-wrong' } });
    const socketMode = verdict('slack.socket_mode');
    expect(socketMode).toMatchObject({ status: 'fail', required: true });
    expect(socketMode.meaning).toBe('Slack rejected SLACK_APP_TOKEN (invalid_auth).');
    expect(socketMode.advice).toContain('connections:write');
    expect(socket?.connections).toBe(0);
    // The bot token is another matter: still checked, still fine.
    expect(verdict('slack.bot_token').status).toBe('ok');
    expect(report.exitCode).toBe(1);
  });

  it('reports Socket Mode switched off in the app settings', async () => {
    const { verdict } = await doctor({
      mode: 'socket',
      before: ({ socket }) => socket?.answerOpen({ kind: 'error', error: 'socket_mode_not_enabled' }),
    });
    expect(verdict('slack.socket_mode').meaning).toContain('(socket_mode_not_enabled)');
    expect(verdict('slack.socket_mode').advice).toContain('Socket Mode is on');
  });
});

describe('Komerza verdicts', () => {
  it('stops at a refused key: one call, one fatal verdict, exit 1', async () => {
    const { report, verdicts, verdict, text, fake } = await doctor({
      email: JANE,
      env: { KOMERZA_API_KEY: 'kmz_not_the_right_key' },
    });
    expect(verdict('komerza.store')).toMatchObject({ status: 'fail', required: true, fatal: true });
    expect(verdict('komerza.store').meaning).toContain('Komerza rejected KOMERZA_API_KEY');
    expect(verdicts.filter((v) => v.id.startsWith('komerza.'))).toHaveLength(1);
    expect(fake.calls).toHaveLength(1);
    expect(report.komerzaStopped).toBe(true);
    expect(text).toContain('the other Komerza checks were skipped');
    expect(report.exitCode).toBe(1);
  });

  it('stops after the start-up checks when Komerza does not answer, instead of timing out on every route', async () => {
    const { report, verdicts, verdict, fake } = await doctor({
      email: JANE,
      before: ({ komerza }) => komerza.addFault({ fault: { kind: 'status', status: 503, text: '<html>down</html>' } }),
    });
    expect(verdict('komerza.store')).toMatchObject({ status: 'fail', required: true });
    expect(verdict('komerza.store').meaning).toContain('Komerza unavailable: server_error 503');
    expect(verdicts.filter((v) => v.id.startsWith('komerza.')).map((v) => v.id)).toEqual([
      'komerza.store',
      'komerza.permissions',
    ]);
    // Each read is retried once after a 5xx, like every read of the app.
    expect(fake.calls).toHaveLength(4);
    expect(report).toMatchObject({ komerzaStopped: true, exitCode: 1 });
  });

  it('says it could not read the customer when Komerza fails on them, rather than "no such customer"', async () => {
    const { verdict } = await doctor({
      email: JANE,
      before: ({ komerza }) =>
        komerza.addFault({ path: /\/email$/, fault: { kind: 'status', status: 500, text: '<html>oops</html>' } }),
    });
    expect(verdict('komerza.customer').meaning).toContain('Could not read the customer j***@example.com');
    expect(verdict('komerza.customer').meaning).toContain('Komerza unavailable: server_error 500');
  });

  it('fails a store id Komerza does not know', async () => {
    const { verdict } = await doctor({ env: { KOMERZA_STORE_ID: '11111111-1111-4111-8111-111111111111' } });
    expect(verdict('komerza.store').meaning).toContain('no store with KOMERZA_STORE_ID');
  });

  it('finds the customer through the list filter when /customers/{email}/email is not deployed (404 HTML)', async () => {
    const { report, verdict, fake } = await doctor({ email: JANE, komerza: { emailRoute: 'missing' } });
    const route = verdict('komerza.customer_by_email');
    expect(route).toMatchObject({ status: 'fail', required: false });
    expect(route.meaning).toContain('is not served here (HTTP 404');
    expect(route.meaning).toContain('falls back to the `email` list filter');
    expect(verdict('komerza.customer').meaning).toContain('through the `email` list filter');
    // The latency is then measured on the read the app makes instead: GET /customers/{id}.
    expect(verdict('komerza.latency').meaning).toContain('GET …/customers/{customerId}');
    expect(fake.callsTo(`/customers/${IDS.jane}`)).toHaveLength(3);
    expect(fake.calls.length).toBeLessThanOrEqual(MAX_KOMERZA_CALLS);
    expect(report.exitCode).toBe(0);
  });

  it('reports a missing by-email route without --email too', async () => {
    const { verdict } = await doctor({ komerza: { emailRoute: 'missing' } });
    expect(verdict('komerza.customer_by_email').status).toBe('fail');
  });

  it('accepts `200 data: null` for an unknown address', async () => {
    const { verdict } = await doctor({ email: JANE, komerza: { emailRoute: 'data_null' } });
    expect(verdict('komerza.customer_by_email')).toMatchObject({ status: 'ok' });
    expect(verdict('komerza.customer_by_email').meaning).toContain('200 with `data: null`');
  });

  it('tells "contains" from exact on the customers and orders `email` filters', async () => {
    const exact = await doctor({ email: JANE, komerza: { emailFilters: { customers: 'exact', orders: 'exact' } } });
    expect(exact.verdict('komerza.customers_email_filter')).toMatchObject({ status: 'ok' });
    expect(exact.verdict('komerza.customers_email_filter').meaning).toContain('the whole address only (exact)');
    expect(exact.verdict('komerza.orders_email_filter').meaning).toContain('the whole address only (exact)');
    await closeFakes();

    const contains = await doctor({ email: JANE });
    expect(contains.verdict('komerza.customers_email_filter').meaning).toContain('part of an address ("contains")');
    expect(contains.verdict('komerza.orders_email_filter').meaning).toContain('part of an address ("contains")');
  });

  it("catches /subscriptions ignoring `email`: other customers' subscriptions come back", async () => {
    const { report, verdict } = await doctor({ email: JANE, komerza: { emailFilters: { subscriptions: 'ignored' } } });
    const filter = verdict('komerza.subscriptions_email_filter');
    expect(filter).toMatchObject({ status: 'fail', required: false });
    expect(filter.meaning).toContain('Komerza ignores the subscriptions `email` filter');
    expect(filter.meaning).toContain('subscriptions go missing');
    // Cards lose subscriptions, but lookups work: not a reason to exit 1.
    expect(report.exitCode).toBe(0);
  });

  it('catches an ignored `email` filter with the probe address alone', async () => {
    const { verdict } = await doctor({ komerza: { emailFilters: { subscriptions: 'ignored' } } });
    expect(verdict('komerza.subscriptions_email_filter').status).toBe('fail');
  });

  it('says whether date-times come without an offset, naming the fields, never the values', async () => {
    const { verdict, text } = await doctor({ email: JANE, komerza: { dateOffsets: false } });
    const dates = verdict('komerza.date_times');
    expect(dates).toMatchObject({ status: 'unknown', required: false });
    expect(dates.meaning).toMatch(/^\d+ of \d+ date-times carry no offset \(in [a-zA-Z, ]*dateCreated/);
    expect(dates.meaning).toContain('reads them as UTC');
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it('flags a slow Komerza from the median of three timed reads', async () => {
    const { verdict, report } = await doctor({
      email: JANE,
      before: ({ komerza }) => komerza.addFault({ path: /\/email$/, fault: { kind: 'delay', ms: 1100 } }),
    });
    const latency = verdict('komerza.latency');
    expect(latency).toMatchObject({ status: 'fail', required: false });
    const median = Number(/takes (\d+) ms/.exec(latency.meaning)?.[1]);
    expect(median).toBeGreaterThanOrEqual(1000);
    expect(latency.advice).toContain('network path');
    expect(report.exitCode).toBe(0);
  });

  it('settles the scopes of an owner key by using them: permissions prove nothing, the orders route does', async () => {
    const { verdict, report } = await doctor({
      komerza: { owner: true, scopes: ['stores.view', 'stores.customers.view', 'stores.products.view'] },
    });
    expect(verdict('komerza.permissions').status).toBe('unknown');
    expect(verdict('komerza.permissions').meaning).toContain("Komerza shows the owner's permissions");
    expect(verdict('komerza.orders')).toMatchObject({ status: 'fail', required: false });
    expect(verdict('komerza.orders').meaning).toContain('the key lacks stores.orders.view');
    expect(verdict('komerza.tickets').meaning).toContain('the key lacks stores.tickets.view');
    expect(report.exitCode).toBe(0);
  });

  it('exits 1 when the key cannot read customers at all', async () => {
    const { verdict, report } = await doctor({ komerza: { scopes: ['stores.view'] } });
    expect(verdict('komerza.permissions')).toMatchObject({ status: 'fail', required: true });
    expect(verdict('komerza.customers')).toMatchObject({ status: 'fail', required: true });
    expect(report.exitCode).toBe(1);
  });

  it('skips the customer-specific checks for an address no customer has', async () => {
    const { verdict, verdicts } = await doctor({ email: 'nobody@example.com' });
    expect(verdict('komerza.customer').status).toBe('unknown');
    expect(verdict('komerza.customer').meaning).toContain('No customer has the address n***@example.com');
    expect(verdicts.some((v) => v.id === 'komerza.latency')).toBe(false);
  });

  it("spaces its calls inside Komerza's bucket (12, +4 every 2 s): the fake enforcing it refuses none", async () => {
    const { report, fake } = await doctor({
      email: JANE,
      komerza: { rateLimit: {} },
      // The app's own defaults: Komerza's bucket.
      env: { KOMERZA_RATE_CAPACITY: '12', KOMERZA_RATE_REFILL: '4', KOMERZA_RATE_INTERVAL_MS: '2000' },
    });
    expect(fake.calls.length).toBeGreaterThan(12);
    expect(fake.rateLimited).toBe(0);
    expect(report.exitCode).toBe(0);
  });
});

describe('shared state', () => {
  it('reports a REDIS_URL that does not answer, as a problem that does not stop the app', async () => {
    const { verdict, report } = await doctor({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
    expect(verdict('shared.redis')).toMatchObject({ status: 'fail', required: false });
    expect(verdict('shared.redis').meaning).not.toContain('127.0.0.1');
    expect(report.sections.map((s) => s.name)).toEqual(['Slack', 'Komerza', 'Shared state']);
  });
});

describe('the report', () => {
  it('prints one line per check, then a summary', async () => {
    const { text, verdicts } = await doctor({ mode: 'socket', email: JANE });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'Customer Lookup doctor · Socket Mode · store 5b0c5d0e-8a43-4c6f-9f0e-2f4d3c1b7a10 · customer j***@example.com',
    );
    expect(lines.filter((line) => /^ {2}[✓✗?] /.test(line))).toHaveLength(verdicts.length);
    expect(lines).toContain('Slack');
    expect(lines).toContain('Komerza');
    expect(lines.at(-1)).toMatch(/^Summary: \d+ checks: /);
  });

  it('marks a required failure and shows what to do', async () => {
    const { text } = await doctor({ before: ({ slack }) => slack.setBotScopes(['commands']) });
    expect(text).toMatch(/ {2}✗ Slack bot scopes \(required\): The bot token lacks chat:write, .* → Add the scope/);
    expect(text).toContain('1 required check(s) failed (exit 1)');
  });

  it('--json: the same checks, summary and exit code as one document', async () => {
    const { json, verdicts, report } = await doctor({ mode: 'socket', email: JANE });
    const parsed = JSON.parse(json) as Record<string, unknown> & {
      checks: Array<Record<string, unknown>>;
      summary: Record<string, unknown>;
    };
    expect(Object.keys(parsed)).toEqual([
      'tool',
      'version',
      'mode',
      'storeId',
      'email',
      'checks',
      'summary',
      'exitCode',
    ]);
    expect(parsed).toMatchObject({ tool: 'komerza-customer-lookup doctor', mode: 'socket', email: 'j***@example.com' });
    expect(parsed.checks).toHaveLength(verdicts.length);
    for (const check of parsed.checks) {
      expect(Object.keys(check)).toEqual(['id', 'section', 'status', 'required', 'title', 'meaning', 'advice']);
      expect(['ok', 'fail', 'unknown']).toContain(check.status);
    }
    expect(parsed.checks[0]).toMatchObject({ id: 'slack.bot_token', section: 'Slack', status: 'ok', advice: null });
    expect(parsed.summary).toEqual({
      checks: verdicts.length,
      ok: verdicts.filter((v) => v.status === 'ok').length,
      fail: 0,
      unknown: 1,
      requiredFailed: 0,
      komerzaCalls: report.komerzaCalls,
      komerzaStopped: false,
    });
    expect(parsed.exitCode).toBe(0);
  });

  it('never prints a secret, the address checked, or anything about a customer', async () => {
    const runs: Array<Awaited<ReturnType<typeof doctor>>> = [];
    for (const run of [
      { mode: 'socket', email: JANE },
      { mode: 'socket', email: JANE, komerza: { emailRoute: 'missing', dateOffsets: false } },
      { email: JANE, komerza: { emailFilters: { subscriptions: 'ignored', orders: 'ignored' } } },
      { mode: 'socket', env: { KOMERZA_API_KEY: 'kmz_not_the_right_key', SLACK_APP_TOKEN: 'xapp-1-nope' } },
    ] satisfies Run[]) {
      runs.push(await doctor(run));
      await closeFakes();
    }
    const data = sampleStore();
    const personal = [
      ...data.customers.flatMap((c) => [c.emailAddress, c.id, String(c.ipAddress ?? '')]),
      ...data.orders.map((o) => o.id),
      ...data.subscriptions.map((s) => s.id),
      ...data.products.map((p) => String(p.id)),
      'ane@example.com',
      'Jane',
      '.invalid',
    ].filter((text) => text !== '');
    const secrets = [FAKE_API_KEY, 'kmz_not_the_right_key', FAKE_BOT_TOKEN, FAKE_APP_TOKEN, 'xapp-1-nope'];
    for (const run of runs) {
      for (const output of [run.text, run.json, run.logs.join('\n')]) {
        for (const value of [...personal, ...secrets]) expect(output).not.toContain(value);
      }
    }
  });
});
