import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type RunningService, StartupError, startService } from '../../src/service.js';
import { sleep } from '../support/async.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { appHomeOpenedBody } from '../support/event-payloads.js';
import { FAKE_API_KEY, type FakeKomerza, type FakeKomerzaOptions, startFakeKomerza } from '../support/fake-komerza.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { appEnvironment, httpDriver, SIGNING_SECRET } from '../support/harness.js';
import { deleteKeys, MACHINE_REDIS_URL, startRedisChild, uniquePrefix } from '../support/redis.js';
import { signSlackRequest } from '../support/sign.js';
import { slashCommandBody } from '../support/slash-command.js';

/** The production life cycle (service.ts: self-check, start, graceful shutdown), driven through its functions. */

let komerza: FakeKomerza | undefined;
let slack: FakeSlack | undefined;
let running: RunningService | undefined;
let logs: string[] = [];

afterEach(async () => {
  await running?.shutdown('test over');
  await Promise.all([komerza?.close(), slack?.close()]);
  running = undefined;
  komerza = undefined;
  slack = undefined;
  logs = [];
});

async function start(options: { komerza?: FakeKomerzaOptions; env?: Record<string, string> } = {}) {
  komerza = await startFakeKomerza(options.komerza);
  slack = await startFakeSlack();
  const config = parseConfig({
    ...appEnvironment(komerza, slack),
    KOMERZA_TIMEOUT_MS: '3000',
    ...options.env,
  });
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  running = await startService(config, { logger, slackRetries: 0 });
  return running;
}

function baseUrl(service: RunningService): string {
  return `http://127.0.0.1:${service.created.port()}`;
}

async function sendCommand(service: RunningService, text: string): Promise<{ status: number; responseId: string }> {
  const response = (slack as FakeSlack).responseUrl();
  const body = slashCommandBody({ text, responseUrl: response.url, triggerId: `t-${response.id}` });
  const ack = await fetch(`${baseUrl(service)}/slack/events`, {
    method: 'POST',
    headers: signSlackRequest(SIGNING_SECRET, body),
    body,
  });
  await ack.text();
  return { status: ack.status, responseId: response.id };
}

function logged(level: string): string[] {
  return logs
    .map((line) => JSON.parse(line) as { level: string; msg: string })
    .filter((l) => l.level === level)
    .map((l) => l.msg);
}

describe('start-up', () => {
  it('refuses to start with a wrong Komerza key, with a readable reason', async () => {
    const failure = start({ env: { KOMERZA_API_KEY: 'kmz_not_the_right_key' } });
    await expect(failure).rejects.toBeInstanceOf(StartupError);
    await expect(failure).rejects.toThrow(/Komerza rejected KOMERZA_API_KEY/);
    // Fails before Slack is even asked: nothing is listening, so an orchestrator sees a clean exit 1.
    expect(slack?.calls.filter((c) => c.method === 'auth.test')).toEqual([]);
  });

  it('refuses to start with a wrong store id', async () => {
    await expect(start({ env: { KOMERZA_STORE_ID: '11111111-1111-4111-8111-111111111111' } })).rejects.toThrow(
      /no store with KOMERZA_STORE_ID/,
    );
  });

  it('refuses to start when Slack rejects the bot token', async () => {
    komerza = await startFakeKomerza();
    slack = await startFakeSlack();
    slack.on('auth.test', () => ({ ok: false, error: 'invalid_auth' }));
    const config = parseConfig({
      ...appEnvironment(komerza, slack),
    });
    const logger = createLogger({ write: (line) => logs.push(line) });
    await expect(startService(config, { logger, slackRetries: 0 })).rejects.toThrow(
      /Slack rejected SLACK_BOT_TOKEN \(invalid_auth\)/,
    );
  });

  it('starts with a key missing scopes, and warns about what will not work', async () => {
    const service = await start({ komerza: { scopes: ['stores.view', 'stores.customers.view'] } });
    expect(service.created.port()).toBeGreaterThan(0);
    const warnings = logged('warn').join('\n');
    expect(warnings).toContain('stores.orders.view');
    expect(warnings).toContain('stores.subscriptions.view');
    // One line: what the key's user may use, then what it lacks (src/checks/komerza-permissions.ts).
    expect(warnings).toContain("Komerza key's user may use: customer lookups");
    expect(logs.join('\n')).not.toContain(FAKE_API_KEY);
  });

  it('starts with a key of the store owner, logging that its scopes could not be verified', async () => {
    const service = await start({ komerza: { owner: true } });
    expect(service.created.port()).toBeGreaterThan(0);
    expect(logged('info').join('\n')).toContain("The Komerza key's scopes could not be verified");
    expect(logged('info').join('\n')).not.toContain('may use');
    expect(logged('warn')).toEqual([]);
  });

  it('shows on the Home tab what the start-up check found the key allows and lacks', async () => {
    const service = await start({ komerza: { scopes: ['stores.view', 'stores.customers.view'] } });
    const driver = httpDriver(baseUrl(service), slack as FakeSlack);
    await driver.event(appHomeOpenedBody('U0AGENT'));
    const publish = await (slack as FakeSlack).waitForCall('views.publish');
    const text = JSON.stringify(publish.args.view);
    expect(text).toContain('Komerza key, checked at start-up');
    expect(text).toContain(':white_check_mark: customer lookups');
    expect(text).toContain('(the key lacks `stores.orders.view`)');
    expect(text).not.toContain(FAKE_API_KEY);
  });
});

describe('start-up with REDIS_URL', () => {
  const prefix = `${uniquePrefix('service')}:`;
  afterAll(() => deleteKeys(MACHINE_REDIS_URL, prefix));

  it('connects Redis before the Komerza key check, so its calls go through the shared bucket and cache', async () => {
    await start({ env: { REDIS_URL: MACHINE_REDIS_URL, REDIS_KEY_PREFIX: prefix, KOMERZA_REPLICAS: '3' } });
    const redis = new Redis(MACHINE_REDIS_URL);
    try {
      // The check's calls were counted in the shared bucket (not sent alone on this replica's share, which the
      // shared bucket would later count as a phantom full burst), and the store it read is there for every replica.
      expect(await redis.exists(`${prefix}komerza-bucket`)).toBe(1);
      expect(await redis.keys(`${prefix}cache:store:*`)).toHaveLength(1);
    } finally {
      redis.disconnect();
    }
  });

  it('a start that fails closes its Redis connections', async () => {
    const own = await startRedisChild();
    const redis = new Redis(own.url);
    try {
      const failure = start({ env: { REDIS_URL: own.url, KOMERZA_API_KEY: 'kmz_not_the_right_key' } });
      await expect(failure).rejects.toBeInstanceOf(StartupError);
      // Only this inspecting connection is left (the server may see the others' close a moment later).
      let clients = '';
      for (let waited = 0; waited < 3000; waited += 50) {
        clients = String(await redis.client('LIST'));
        if (!clients.includes('name=customer-lookup')) break;
        await sleep(50);
      }
      expect(clients).not.toContain('name=customer-lookup');
    } finally {
      redis.disconnect();
      await own.stop();
    }
  });
});

describe('/healthz', () => {
  it('answers 200 with {ok: true}, for GET and HEAD', async () => {
    const service = await start();
    const get = await fetch(`${baseUrl(service)}/healthz`);
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ ok: true });
    const head = await fetch(`${baseUrl(service)}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });
});

describe('graceful shutdown', () => {
  it('lets a lookup already under way deliver its card, refuses new requests, and exits 0', async () => {
    const service = await start();
    // The customer read is held, so the lookup is still running when the shutdown begins.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    komerza?.addFault({ path: '/email', fault: { kind: 'wait', until: gate }, times: 1 });
    const sent = await sendCommand(service, 'jane@example.com');
    expect(sent.status).toBe(200);
    expect(service.created.inflight.size()).toBe(1);

    const stopping = service.shutdown('SIGTERM received');
    // New requests are refused while the lookup is still running.
    await expect(fetch(`${baseUrl(service)}/healthz`)).rejects.toThrow();
    expect(service.created.inflight.size()).toBe(1);
    release();
    const code = await stopping;
    expect(code).toBe(0);
    // Delivered before shutdown resolved: it is already recorded, not merely on its way.
    const delivered = slack?.posts.find((post) => post.id === sent.responseId)?.body;
    expect(JSON.stringify(delivered)).toContain('$12,345.50');
    expect(blockKitViolations(delivered ?? {}, { surface: 'message' })).toEqual([]);
    expect(logged('info').join('\n')).toContain('Stopped cleanly');
  });

  it('gives up on a lookup that outlives SHUTDOWN_TIMEOUT_MS, and still exits 0', async () => {
    const service = await start({ env: { SHUTDOWN_TIMEOUT_MS: '50', KOMERZA_TIMEOUT_MS: '2000' } });
    komerza?.addFault({ path: '/email', fault: { kind: 'hang' }, times: 1 });
    await sendCommand(service, 'jane@example.com');
    expect(service.created.inflight.size()).toBe(1);
    expect(await service.shutdown('SIGTERM received')).toBe(0);
    expect(logged('warn').join('\n')).toContain('1 lookup(s) unfinished after 50 ms');
  });
});
