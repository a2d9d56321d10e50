/**
 * `npx tsx scripts/bench-shared-state.ts` (needs Redis on 127.0.0.1:6379 and redis-server installed; not part of
 * `npm test`): prints what the shared state costs and what Redis outages cost.
 * 1. Latency of one shared-bucket decision (the Lua script), one budget take and one cache read, on the local Redis.
 * 2. Three replicas sharing a small bucket (6, +2 every 200 ms, 10 ms of delay) under steady load against Komerza's
 *    exact bucket in this process, while their Redis is killed and restarted, or frozen (SIGSTOP) and thawed:
 *    the 429s each transition costs (the client would retry them), and how long the longest acquire() waited.
 */
import { createRedisBudget } from '../src/access/budget.js';
import { createRedisConnection, type RedisConnection } from '../src/redis/connection.js';
import { deriveKey } from '../src/redis/keys.js';
import { createSharedCache } from '../src/redis/shared-cache.js';
import { createSharedRateLimiter, type SharedRateLimiter } from '../src/redis/shared-rate-limit.js';
import { sleep } from '../test/support/async.js';
import { exactBucket, seeded } from '../test/support/bucket-sim.js';
import { deleteKeys, MACHINE_REDIS_URL, startRedisChild, uniquePrefix } from '../test/support/redis.js';

const quiet = { info: () => undefined, warn: () => undefined };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function timeEach(count: number, run: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    await before?.();
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return `p50 ${percentile(times, 50).toFixed(3)} ms, p99 ${percentile(times, 99).toFixed(3)} ms (${count} calls)`;
}

async function latencies(): Promise<void> {
  const prefix = `${uniquePrefix('bench')}:`;
  const connection = createRedisConnection({ url: MACHINE_REDIS_URL, logger: quiet });
  await connection.ready();
  // Komerza's geometry (40 phases) with a capacity that never makes anyone wait: the script's full cost.
  const limiter = createSharedRateLimiter({
    connection,
    keyPrefix: prefix,
    capacity: 1_000_000,
    refillAmount: 1_000_000,
    refillIntervalMs: 2000,
  });
  await limiter.acquire();
  await sleep(2300);
  console.log(`shared bucket acquire():  ${await timeEach(2000, () => limiter.acquire())}`);
  const budget = createRedisBudget({ connection, keyPrefix: prefix, perMinute: 0, perHour: 0 });
  console.log(`budget take():            ${await timeEach(2000, () => budget.take('UBENCH', 1))}`);
  const cache = createSharedCache({
    connection,
    keyPrefix: prefix,
    keySecret: deriveKey('bench', 'cache-keys'),
    firstLevelTtlMs: 1,
  });
  const value = { id: 'x', emailAddress: 'someone@example.com', totalSpend: 12.5, tickets: [] };
  await cache.fetch('customer:x', async () => value, { ttlMs: 60_000 });
  await sleep(5);
  // The first level keeps a copy for 1 ms here: each timed read goes to Redis.
  const read = () => cache.fetch('customer:x', async () => value, { ttlMs: 60_000 });
  console.log(`cache read (second level): ${await timeEach(2000, read, () => sleep(2))}`);
  limiter.close();
  await cache.close();
  await connection.close();
  await deleteKeys(MACHINE_REDIS_URL, prefix);
}

async function outage(kind: 'kill' | 'freeze', seed: number): Promise<string> {
  const child = await startRedisChild();
  const prefix = `${uniquePrefix('outage')}:`;
  const connections: RedisConnection[] = [];
  const limiters: SharedRateLimiter[] = [];
  for (let i = 0; i < 3; i++) {
    const connection = createRedisConnection({
      url: child.url,
      logger: quiet,
      commandTimeoutMs: 200,
      maxReconnectDelayMs: 200,
    });
    await connection.ready();
    connections.push(connection);
    limiters.push(
      createSharedRateLimiter({
        connection,
        keyPrefix: prefix,
        capacity: 6,
        refillAmount: 2,
        refillIntervalMs: 200,
        jitterMs: 10,
        phaseStepMs: 10,
        replicas: 3,
      }),
    );
  }
  const random = seeded(seed);
  const origin = performance.now();
  const komerza = exactBucket({ capacity: 6, refillAmount: 2, intervalMs: 200, phaseMs: random() * 200 });
  const refused = { before: 0, during: 0, after: 0 };
  let phase: keyof typeof refused = 'before';
  let sent = 0;
  let lastArrival = 0;
  let longestWait = 0;
  let stop = false;
  // A steady load a little above the bucket's rate, from all three replicas.
  const workers = Array.from({ length: 6 }, async (_, w) => {
    while (!stop) {
      const limiter = limiters[(w + Math.floor(random() * 3)) % 3] as SharedRateLimiter;
      const started = performance.now();
      await limiter.acquire();
      longestWait = Math.max(longestWait, performance.now() - started);
      await sleep(random() * 10);
      lastArrival = Math.max(lastArrival, performance.now() - origin);
      sent++;
      if (!komerza.arrive(lastArrival)) {
        refused[phase]++;
        limiter.drain();
      }
      await sleep(20 + random() * 20);
    }
  });
  await sleep(2000);
  phase = 'during';
  if (kind === 'kill') await child.stop();
  else child.freeze();
  await sleep(2000);
  if (kind === 'kill') await child.restart();
  else child.thaw();
  phase = 'after';
  await sleep(3000);
  stop = true;
  await Promise.all(workers);
  const modes = limiters.map((limiter) => limiter.mode()).join('/');
  for (const limiter of limiters) limiter.close();
  await Promise.all(connections.map((connection) => connection.close()));
  await child.stop();
  return `${kind === 'kill' ? 'killed ' : 'frozen '} seed ${seed}: ${sent} sent, 429s before ${refused.before}, during ${refused.during}, after ${refused.after}; longest acquire ${longestWait.toFixed(0)} ms; modes at the end ${modes}`;
}

await latencies();
// ONLY_LATENCY=1 skips the outage runs (about 70 s).
if (process.env.ONLY_LATENCY !== '1') {
  for (const kind of ['kill', 'freeze'] as const) {
    for (let seed = 1; seed <= 5; seed++) console.log(await outage(kind, seed));
  }
}
process.exit(0);
