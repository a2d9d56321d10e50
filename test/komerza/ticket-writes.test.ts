import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  createKomerzaClient,
  createKomerzaWriter,
  type KomerzaClientOptions,
  MAX_BODY_BYTES,
  noRetryOptions,
} from '../../src/komerza/client.js';
import type { RateLimiter } from '../../src/komerza/rate-limit.js';
import { TicketStatus } from '../../src/komerza/schemas.js';
import { sleep } from '../support/async.js';
import {
  ALL_SCOPES,
  FAKE_API_KEY,
  type FakeKomerza,
  type Fault,
  problemBody,
  startFakeKomerza,
  WRITE_SCOPES,
} from '../support/fake-komerza.js';
import { failure } from '../support/komerza-failure.js';
import { IDS, STORE_ID } from '../support/sample-store.js';

/** Jane's ticket waiting on the support team (CustomerResponded, three entries): test/support/sample-store.ts. */
const TICKET = 'b0000000-0000-4000-8000-000000000001';
const UNKNOWN_TICKET = 'b0000000-0000-4000-8000-0000000000ff';

// Each test gets its own fake: the writes change its data.
let fake: FakeKomerza;
beforeEach(async () => {
  fake = await startFakeKomerza();
});
afterEach(async () => {
  await fake.close();
});

function options(extra: Partial<KomerzaClientOptions> = {}): KomerzaClientOptions {
  return {
    baseUrl: `${fake.url}/`,
    apiKey: FAKE_API_KEY,
    storeId: STORE_ID,
    userAgent: 'test/1.0',
    timeoutMs: 1000,
    retry: { rateLimitBackoffMs: 20, serverErrorBackoffMs: 10 },
    ...extra,
  };
}
const reader = (extra?: Partial<KomerzaClientOptions>) => createKomerzaClient(options(extra));
const writer = (extra?: Partial<KomerzaClientOptions>) => createKomerzaWriter(options(extra));

/**
 * The requests of `method` that reached the fake. got settles a request's promise only once it has decided not to
 * retry (core `_beforeError` → `_error`), so after the promise settled no retry is pending; the short pause lets an
 * attempt already on the wire arrive before counting.
 */
async function sent(method: 'GET' | 'PUT' | 'DELETE'): Promise<number> {
  await sleep(50);
  return fake.calls.filter((call) => call.method === method).length;
}

/** A limiter that hands out tokens at once and counts them, with a queue estimate a test can set. */
function countingLimiter(estimatedWaitMs = 0) {
  const limiter = {
    acquired: 0,
    drained: 0,
    acquire: async () => {
      limiter.acquired++;
    },
    status: () => ({ queued: 0, available: 1, estimatedWaitMs }),
    drain: () => {
      limiter.drained++;
    },
  };
  return limiter satisfies RateLimiter;
}

const serverError: Fault = { kind: 'status', status: 503, body: { success: false, code: null, data: null } };
const rateLimited: Fault = {
  kind: 'status',
  status: 429,
  body: { success: false, code: 'RateLimited', data: null },
  headers: { 'retry-after': '0' },
};

describe('getTicket', () => {
  it('reads a ticket with its entries', async () => {
    const ticket = await reader().getTicket(TICKET);
    expect(ticket).toMatchObject({ id: TICKET, subject: 'Order arrived damaged', status: 4 });
    expect(ticket.entries?.map((entry) => [entry.name, entry.message])).toEqual([
      ['Jane', 'The box was crushed.'],
      ['Support', 'Sorry! Could you send a photo?'],
      ['Jane', 'Photo attached, thanks.'],
    ]);
    expect(fake.callsTo(`/stores/${STORE_ID}/tickets/${TICKET}`)).toHaveLength(1);
  });

  it('says not found for an unknown ticket, and sends nothing for an id that is not a UUID', async () => {
    expect((await failure(reader().getTicket(UNKNOWN_TICKET))).kind).toBe('not_found');
    const dotted = await failure(reader().getTicket('..'));
    expect(dotted).toMatchObject({ kind: 'not_found', status: undefined });
    expect(await sent('GET')).toBe(1);
  });

  it('is retried like every read', async () => {
    fake.addFault({ path: '/tickets/', fault: serverError, times: 1 });
    expect((await reader().getTicket(TICKET)).id).toBe(TICKET);
    expect(await sent('GET')).toBe(2);
  });

  it('names stores.tickets.view when the key lacks it', async () => {
    fake.options.scopes = ['stores.view'];
    expect(await failure(reader().getTicket(TICKET))).toMatchObject({
      kind: 'forbidden',
      scope: 'stores.tickets.view',
    });
  });
});

describe('replyToTicket', () => {
  it('sends {"message": text} exactly as given, as JSON, in one PUT; resolves with the updated ticket', async () => {
    const text = `Héllo 👋 <b>&amp; "quotes"\n\nline\ttwo\\ ${'x'.repeat(3000)}`.slice(0, 3000);
    const ticket = await writer().replyToTicket(TICKET, text);

    const puts = fake.calls.filter((call) => call.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]?.path).toBe(`/stores/${STORE_ID}/tickets/${TICKET}`);
    expect(puts[0]?.headers['content-type']).toMatch(/^application\/json/);
    expect(puts[0]?.headers.authorization).toBe(`Bearer ${FAKE_API_KEY}`);
    expect(puts[0]?.headers['user-agent']).toBe('test/1.0');
    expect(puts[0]?.body).toBe(JSON.stringify({ message: text }));
    expect(JSON.parse(puts[0]?.body ?? '')).toEqual({ message: text });

    expect(ticket?.status).toBe(TicketStatus.Responded);
    expect(ticket?.entries).toHaveLength(4);
    expect(ticket?.entries?.at(-1)).toMatchObject({ message: text, name: 'Northwind Goods' });
    expect(fake.writes).toEqual([{ method: 'PUT', ticketId: TICKET, message: text, at: expect.any(Number) }]);
    expect(fake.writeAttempts).toBe(1);
  });

  it('shows in a customer lookup afterwards: the reply and the Responded status', async () => {
    await writer().replyToTicket(TICKET, 'We are sending a replacement.');
    const jane = await reader().getCustomer(IDS.jane);
    const ticket = jane.tickets?.find((t) => t.id === TICKET);
    expect(ticket?.status).toBe(TicketStatus.Responded);
    expect(ticket?.entries?.at(-1)?.message).toBe('We are sending a replacement.');
  });

  it('takes one bucket token', async () => {
    const limiter = countingLimiter();
    await writer({ rateLimiter: limiter }).replyToTicket(TICKET, 'ok');
    expect(limiter.acquired).toBe(1);
  });

  it('is refused at once, unsent, when the queue is longer than maxQueueWaitMs', async () => {
    const limiter = countingLimiter(120_000);
    const error = await failure(writer({ rateLimiter: limiter }).replyToTicket(TICKET, 'ok'));
    expect(error.kind).toBe('rate_limited');
    expect(limiter.acquired).toBe(0);
    expect(fake.writeAttempts).toBe(0);
  });

  it('names stores.tickets.update on a 403', async () => {
    fake.options.scopes = [...ALL_SCOPES, ...WRITE_SCOPES.filter((scope) => scope !== 'stores.tickets.update')];
    const error = await failure(writer().replyToTicket(TICKET, 'ok'));
    expect(error).toMatchObject({ kind: 'forbidden', scope: 'stores.tickets.update' });
    expect(fake.writes).toEqual([]);
  });

  it('says not found for an unknown ticket, and sends nothing for an id that is not a UUID', async () => {
    expect((await failure(writer().replyToTicket(UNKNOWN_TICKET, 'ok'))).kind).toBe('not_found');
    expect((await failure(writer().replyToTicket('..', 'ok'))).kind).toBe('not_found');
    expect(fake.writeAttempts).toBe(1);
  });

  it('is rejected (ASP.NET 400) for an empty message', async () => {
    const error = await failure(writer().replyToTicket(TICKET, '   '));
    expect(error).toMatchObject({ kind: 'rejected', status: 400 });
    expect(fake.writes).toEqual([]);
  });

  it.each([
    ['data: null', { success: true, message: null, code: null, data: null }],
    ['no data', { success: true }],
    ['data that is not a ticket', { success: true, data: { entries: 'none' } }],
  ])('resolves undefined after a 200 with %s: the write happened', async (_label, body) => {
    fake.addFault({ method: 'PUT', fault: { kind: 'status', status: 200, body } });
    await expect(writer().replyToTicket(TICKET, 'ok')).resolves.toBeUndefined();
  });

  it.each([
    ['an HTML page', { text: '<html>ok</html>' }],
    ['malformed JSON', { text: '{"success": tr', contentType: 'application/json' }],
  ])('resolves undefined after a 200 with %s: a 2xx write never looks like a failure', async (_label, answer) => {
    fake.addFault({ method: 'PUT', fault: { kind: 'status', status: 200, ...answer } });
    await expect(writer().replyToTicket(TICKET, 'ok')).resolves.toBeUndefined();
  });

  it('resolves undefined after a 200 whose body is over the cap: read no further, but the write happened', async () => {
    const text = `{"success":true,"data":"${'x'.repeat(MAX_BODY_BYTES)}"}`;
    fake.addFault({ method: 'PUT', fault: { kind: 'status', status: 200, text, contentType: 'application/json' } });
    await expect(writer().replyToTicket(TICKET, 'ok')).resolves.toBeUndefined();
  });

  it('still fails on a 200 whose envelope says success: false (Komerza refused it)', async () => {
    const body = { success: false, code: 'ValidationError', message: 'no', data: null };
    fake.addFault({ method: 'PUT', fault: { kind: 'status', status: 200, body } });
    expect(await failure(writer().replyToTicket(TICKET, 'ok'))).toMatchObject({ kind: 'rejected' });
  });

  it('times out when the PUT was applied but its answer never came; a read then shows the reply', async () => {
    fake.addFault({ method: 'PUT', fault: { kind: 'apply_then', fault: { kind: 'hang' } } });
    const error = await failure(writer({ timeoutMs: 150 }).replyToTicket(TICKET, 'Did this arrive?'));
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'timeout' });
    expect(await sent('PUT')).toBe(1);
    const ticket = await reader().getTicket(TICKET);
    expect(ticket.entries?.at(-1)?.message).toBe('Did this arrive?');
    expect(ticket.status).toBe(TicketStatus.Responded);
  });
});

describe('closeTicket', () => {
  it('sends one DELETE without a body; the ticket is Closed afterwards', async () => {
    await expect(writer().closeTicket(TICKET)).resolves.toBeUndefined();
    const deletes = fake.calls.filter((call) => call.method === 'DELETE');
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.body).toBe('');
    expect(fake.writes).toEqual([{ method: 'DELETE', ticketId: TICKET, at: expect.any(Number) }]);
    expect((await reader().getTicket(TICKET)).status).toBe(TicketStatus.Closed);
  });

  it('names stores.tickets.delete on a 403, and says not found for an unknown ticket', async () => {
    expect((await failure(writer().closeTicket(UNKNOWN_TICKET))).kind).toBe('not_found');
    fake.options.scopes = [...ALL_SCOPES, ...WRITE_SCOPES.filter((scope) => scope !== 'stores.tickets.delete')];
    expect(await failure(writer().closeTicket(TICKET))).toMatchObject({
      kind: 'forbidden',
      scope: 'stores.tickets.delete',
    });
    expect(fake.writes).toEqual([]);
  });
});

describe('a write is never retried', () => {
  const writes = [
    ['PUT', (w: ReturnType<typeof writer>) => w.replyToTicket(TICKET, 'once only')],
    ['DELETE', (w: ReturnType<typeof writer>) => w.closeTicket(TICKET)],
  ] as const;
  const faults = [
    ['a 503', serverError, { kind: 'unavailable', reason: 'server_error' }],
    ['a 429 with Retry-After: 0', rateLimited, { kind: 'rate_limited', retryAfterSeconds: 0 }],
    ['a timeout', { kind: 'hang' }, { kind: 'unavailable', reason: 'timeout' }],
    ['a connection reset', { kind: 'reset' }, { kind: 'unavailable', reason: 'network' }],
  ] as const;
  const cases = writes.flatMap(([method, act]) =>
    faults.map(([label, fault, expected]) => ({ method, act, label, fault, expected })),
  );

  it.each(cases)('$method: exactly one request on $label', async ({ method, act, fault, expected }) => {
    fake.addFault({ method, path: '/tickets/', fault });
    const error = await failure(act(writer({ timeoutMs: 150 })));
    expect(error).toMatchObject(expected);
    expect(await sent(method)).toBe(1);
    expect(fake.writeAttempts).toBe(1);
    expect(fake.writes).toEqual([]);
  });

  it('drains the limiter on a 429, as a read does', async () => {
    const limiter = countingLimiter();
    fake.addFault({ method: 'PUT', fault: rateLimited });
    await failure(writer({ rateLimiter: limiter }).replyToTicket(TICKET, 'ok'));
    expect(limiter).toMatchObject({ acquired: 1, drained: 1 });
  });

  it('not even when `extend` asks got to retry PUT', async () => {
    fake.addFault({ method: 'PUT', fault: serverError });
    const extend = { retry: { limit: 5, methods: ['PUT' as const], calculateDelay: () => 1 } };
    await failure(writer({ extend }).replyToTicket(TICKET, 'ok'));
    expect(await sent('PUT')).toBe(1);
  });

  it('noRetryOptions says 0 to every failure got could ask about', () => {
    const limiter = countingLimiter();
    const { calculateDelay } = noRetryOptions(limiter);
    for (const statusCode of [429, 500, 503, undefined]) {
      const error = { response: statusCode ? { statusCode } : undefined, code: 'ETIMEDOUT' };
      const retry = { attemptCount: 1, computedValue: 1000, retryAfter: undefined, error, retryOptions: {} };
      expect(calculateDelay(retry as unknown as Parameters<typeof calculateDelay>[0])).toBe(0);
    }
    expect(limiter.drained).toBe(1);
  });
});

describe('the fake Komerza ticket routes', () => {
  const ticketUrl = () => `${fake.url}/stores/${STORE_ID}/tickets/${TICKET}`;
  const headers = { authorization: `Bearer ${FAKE_API_KEY}`, 'user-agent': 'test/1.0' };

  it('answers a PUT whose body is not a {message} form with ASP.NET 400, and applies nothing', async () => {
    const response = await fetch(ticketUrl(), { method: 'PUT', headers, body: 'message=hi' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(Object.keys(problemBody(400, {})).sort());
    expect(body.errors).toHaveProperty('message');
    expect(fake.writes).toEqual([]);
    expect(fake.writeAttempts).toBe(1);
  });

  it('answers a DELETE with the envelope and data: null', async () => {
    const response = await fetch(ticketUrl(), { method: 'DELETE', headers });
    expect(await response.json()).toEqual({ success: true, message: 'Ticket closed', code: null, data: null });
  });

  it("names the reply after the store, or 'Support' when the store has no name", async () => {
    fake.data.store.name = null;
    const ticket = await writer().replyToTicket(TICKET, 'hi');
    expect(ticket?.entries?.at(-1)?.name).toBe('Support');
    expect(ticket?.entries?.at(-1)?.dateCreated).toMatch(/Z$/);
  });

  it('counts a write a fault answered in writeAttempts but not in writes; a PUT fault leaves reads alone', async () => {
    fake.addFault({ method: 'PUT', fault: serverError });
    await failure(writer().replyToTicket(TICKET, 'ok'));
    expect((await reader().getTicket(TICKET)).entries).toHaveLength(3);
    expect(fake.writeAttempts).toBe(1);
    expect(fake.writes).toEqual([]);
  });

  it('answers other methods on read routes with the JSON 404', async () => {
    const response = await fetch(`${fake.url}/stores/${STORE_ID}/customers/${IDS.jane}`, { method: 'PUT', headers });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ success: false, code: 'NotFound' });
  });
});
