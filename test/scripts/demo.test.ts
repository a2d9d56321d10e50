import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { DEMO_REPLY, runDemo, runDoctorDemo, SAMPLE_QUERIES, STEP_SAMPLES } from '../../scripts/demo.js';

/**
 * `npm run demo` through its main function: the same wiring, servers and requests as on the command line, over
 * signed HTTP (the default) and over the local Socket Mode server (`--socket`).
 */
describe.each([
  ['HTTP mode', false],
  ['Socket Mode', true],
])('npm run demo (%s)', (modeName, socket) => {
  // Nine lookups of about three Komerza calls each go through Komerza's real bucket (12, +4 every 2 s): some wait
  // for refills, as they would in production.
  it('answers every sample query with the real app and exits 0', async () => {
    let output = '';
    const code = await runDemo({ socket, write: (text) => (output += text) });
    expect(code).toBe(0);

    expect(output).toContain(`the real app (${modeName})`);
    // The start-up self-check ran against the sample store, and the app came up in the mode asked for.
    expect(output).toContain('Komerza key works for store "Northwind Goods"');
    expect(output).toContain(socket ? 'Connected to Slack in Socket Mode' : 'Listening for Slack on port');
    for (const { query } of SAMPLE_QUERIES) expect(output).toContain(`━━━ /customer ${query}`);
    // Jane: a big spender with open tickets.
    expect(output).toContain('jane@example.com\n════');
    expect(output).toContain('$12,345.50');
    expect(output).toContain('Order arrived damaged');
    // Bob: one subscription expiring soon, one expired.
    expect(output).toMatch(/⚠️ Pro plan \(Monthly\) — active, renews \d{4}-\d\d-\d\d UTC \(in \d days?\)/);
    expect(output).toMatch(/⚠️ Add-on storage — expired \d{4}-\d\d-\d\d UTC \(2 days ago\)/);
    // Dana, in Komerza's documented shape: product names from the product list, never a product id.
    expect(output).toContain('dana@example.net\n════');
    expect(output).toMatch(/🔁 Community access — active until \d{4}-\d\d-\d\d UTC \(expires in/);
    expect(output).toMatch(/⚠️ Starter kit — expired \d{4}-\d\d-\d\d UTC \(35 days ago\)/);
    expect(output).not.toContain('3c90c3cc');
    expect(output).toContain('link https://northwind.komerza.com/?ref=DANA');
    // Riley: recent orders newest first, and the failing renewal first among the subscriptions.
    expect(output).toMatch(
      /Recent orders\n• \d{4}-\d\d-\d\d UTC {2}· {2}\$29\.00 {2}· {2}Pending {2}· {2}Team plan {2}· {2}e4b2c901/,
    );
    expect(output).toContain('and 2 more in Komerza');
    expect(output).not.toContain('ffee1234');
    expect(output).toMatch(
      /Subscriptions \(2\) {2}· {2}1 needs attention\n❌ Team plan \(5 seats\) — renewal payment failing/,
    );
    expect(output).toMatch(/2 failed payments, last \d{4}-\d\d-\d\d UTC, next retry \d{4}-\d\d-\d\d UTC \(in \d day/);
    // Riley's refunded order, looked up by its id: marked, with refund and chargeback.
    expect(output).toContain('🔎 Looked up:');
    expect(output).toContain(
      '↩️ refunded $190.00 (requested by the customer)  ·  🚨 chargeback UnderReview (Fraudulent)',
    );
    // Quiet, the two alexes, and the miss.
    expect(output).toContain('quiet@example.net');
    expect(output).toContain('Customers matching “alex”');
    expect(output).toContain('No customer found for “nobody@example.com”');
    // The ticket round trip: the thread, the reply sent once with the text as typed, the card refreshed, a close.
    expect(output).toContain('━━━ Ticket actions: View & reply on Jane\'s "Order arrived damaged"');
    expect(output).toContain('Sending your reply…');
    expect(output).toContain('Reply sent.');
    expect(output).toContain('Ticket closed. The customer is not notified by this app.');
    expect(output).toContain("Close ticket 'Invoice for March'? The customer is not notified by this app.");
    const komerzaSaw = output.slice(output.indexOf('━━━ What reached Komerza')).split('\n').slice(1, 3);
    expect(komerzaSaw).toEqual([
      `PUT /stores/{storeId}/tickets/b0000000-0000-4000-8000-000000000001 ${JSON.stringify({ message: DEMO_REPLY })}`,
      'DELETE /stores/{storeId}/tickets/b0000000-0000-4000-8000-000000000002',
    ]);
    // The workflow step for each sample: its outputs, or found: false for the unknown address.
    for (const input of STEP_SAMPLES) expect(output).toContain(`customer = ${input}`);
    expect(output).toMatch(/total_spend_formatted +"\$12,345\.50"/);
    expect(output).toMatch(/next_subscription_expiry +\d{10}\n +subscriptions_expiring_soon +1\n/);
    expect(output).toMatch(/found +false\n/);
    expect(output).not.toMatch(/203\.0\.113\.24"?\n/);
    // The Home tab, with what the start-up check found and the search box.
    expect(output).toContain('━━━ The Home tab');
    expect(output).toContain('✅ customer lookups (by email, customer id and search)');
    expect(output).toContain(socket ? 'Slack connection: Socket Mode' : 'Slack connection: HTTP');
    expect(output).toContain('▕ jane@example.com, a customer or order id, or part of an email');
    expect(output).toContain('Reply to tickets: yes, with View & reply');
    // One Builder link per answer and one for the Home tab, and no raw Slack markup in the rendering.
    expect(output.match(/https:\/\/app\.slack\.com\/block-kit-builder\/#%7B%22blocks%22/g)).toHaveLength(
      SAMPLE_QUERIES.length + 1,
    );
    const rendering = output.replace(/https:\/\/app\.slack\.com\/block-kit-builder\/#\S+/g, '');
    expect(rendering).not.toMatch(/<!date|&lt;|&amp;/);
    expect(output).not.toContain('App warnings');
  }, 60_000);

  it('looks up the one query given on the command line', async () => {
    let output = '';
    expect(await runDemo({ socket, queries: [{ query: 'bob@example.org' }], write: (text) => (output += text) })).toBe(
      0,
    );
    expect(output.match(/━━━ \/customer/g)).toHaveLength(1);
    expect(output).toContain('Pro plan');
    expect(output).not.toContain('jane@example.com');
  });

  it('answers help in the ack itself', async () => {
    let output = '';
    expect(await runDemo({ socket, queries: [{ query: 'help' }], write: (text) => (output += text) })).toBe(0);
    expect(output).toContain('/customer jane@example.com');
  });
});

describe('npm run demo -- --doctor', () => {
  // The README's sample report comes from this run: Socket Mode, the sample store, jane@example.com.
  it('runs the doctor against the sample store and the Slack stand-in, and exits 0', async () => {
    let output = '';
    const code = await runDoctorDemo({ socket: true, email: 'jane@example.com', write: (text) => (output += text) });
    expect(code).toBe(0);
    expect(output).toContain('Customer Lookup doctor · Socket Mode · store 5b0c5d0e-8a43-4c6f-9f0e-2f4d3c1b7a10');
    expect(output).toContain('✓ Komerza store: Komerza key works for store "Northwind Goods"');
    expect(output).toContain('✓ Socket Mode:');
    expect(output).toMatch(
      /Summary: 20 checks: 19 ✓, 0 ✗, 1 \?; nothing required failed \(exit 0\)\. Komerza calls: 1[0-5]\./,
    );
    expect(output).not.toContain('jane@example.com');

    // README's sample is this run, word for word (only the measured latency differs between runs).
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('```\n', readme.indexOf("The report for the demo's sample store")) + 4;
    const sample = readme.slice(start, readme.indexOf('```', start));
    const latency = (text: string) => text.replace(/takes \d+ ms/, 'takes N ms');
    expect(latency(sample)).toBe(latency(output));
  });

  it('prints JSON with --json, in HTTP mode without --email', async () => {
    let output = '';
    expect(await runDoctorDemo({ json: true, write: (text) => (output += text) })).toBe(0);
    expect(JSON.parse(output)).toMatchObject({ mode: 'http', email: null, exitCode: 0 });
  });
});
