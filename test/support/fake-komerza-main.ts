/**
 * The fake Komerza in a process of its own, for tests that load the machine (test/support/fake-komerza-process.ts
 * starts it). Its clock then reads each request's arrival as a real server would: in the test's own process, a busy
 * or starved event loop would read a batch of arrivals hundreds of ms late, and the bucket it enforces would refuse
 * requests that reached it in time. Options (JSON) in FAKE_KOMERZA_OPTIONS; prints one JSON line with its URLs.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeKomerzaOptions, startFakeKomerza } from './fake-komerza.js';
import { addCustomers } from './sample-store.js';

const options = JSON.parse(process.env.FAKE_KOMERZA_OPTIONS ?? '{}') as FakeKomerzaOptions & { customers?: number };
const komerza = await startFakeKomerza(options);
addCustomers(komerza.data, options.customers ?? 0);

// GET /stats: every request so far (path and query) and how many the bucket refused.
const control = createServer((_req, res) => {
  const calls = komerza.calls.map((call) => ({ path: call.path, query: call.query.toString() }));
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ calls, rateLimited: komerza.rateLimited }));
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
const port = (control.address() as AddressInfo).port;
process.stdout.write(`${JSON.stringify({ url: komerza.url, control: `http://127.0.0.1:${port}` })}\n`);
// Gone with the test that started it, even if that test could not stop it.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
