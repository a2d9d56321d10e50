import { startTestApp } from '../test/support/harness.js';

const t = await startTestApp({ komerza: { latencyMs: 150 } });
const acks: number[] = [];
const cards: number[] = [];
for (let i = 0; i < 60; i++) {
  const s = performance.now();
  const ack = await t.command(i % 2 ? 'jane@example.com' : 'bob@example.org');
  acks.push(ack.ackMs);
  await t.slack.waitForPost(ack.responseId, 10000);
  cards.push(performance.now() - s);
}
const p = (a: number[], q: number) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) * q)]!.toFixed(1);
console.log(
  'ack p50',
  p(acks.slice(10), 0.5),
  'p99',
  p(acks.slice(10), 0.99),
  'card p50',
  p(cards.slice(10), 0.5),
  'p99',
  p(cards.slice(10), 0.99),
);
await t.stop();
