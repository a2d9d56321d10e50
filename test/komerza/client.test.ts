import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  createKomerzaClient,
  interpretResponse,
  parseRetryAfter,
  pathSegment,
  ROUTES,
} from '../../src/komerza/client.js';
import {
  KomerzaFeatureUnavailableError,
  KomerzaForbiddenError,
  KomerzaInvalidResponseError,
  KomerzaNotFoundError,
  KomerzaRateLimitedError,
  KomerzaRejectedError,
  KomerzaUnauthorizedError,
  KomerzaUnavailableError,
} from '../../src/komerza/errors.js';
import { FAKE_API_KEY, type FakeKomerza, problemBody, startFakeKomerza } from '../support/fake-komerza.js';
import { listen as listenHttp } from '../support/http.js';
import { IDS, PRODUCT_IDS, STORE_ID } from '../support/sample-store.js';

const route = ROUTES.customer;
const json = { 'content-type': 'application/json' };
const html = { 'content-type': 'text/html' };

describe('interpretResponse: envelope and error mapping', () => {
  it('returns the body of a successful envelope', () => {
    expect(interpretResponse(route, 200, json, '{"success":true,"data":{"id":"x"}}')).toEqual({
      success: true,
      data: { id: 'x' },
    });
  });

  it.each([
    [401, json, '{"success":false,"code":"BadToken"}', KomerzaUnauthorizedError],
    [403, json, '{"success":false,"code":"AccessDenied"}', KomerzaForbiddenError],
    [404, json, '{"success":false,"code":"NotFound"}', KomerzaNotFoundError],
    [405, html, '<html>Method not allowed</html>', KomerzaNotFoundError],
    [409, json, '{"success":false,"code":"ObjectConflict"}', KomerzaRejectedError],
    [400, json, '{"success":false,"code":"ValidationError"}', KomerzaRejectedError],
    [429, json, '{"success":false,"code":"RateLimited"}', KomerzaRateLimitedError],
    [500, json, '{"success":false,"code":"InternalServerError"}', KomerzaUnavailableError],
    [503, html, '<html>Bad gateway</html>', KomerzaUnavailableError],
    [200, json, '{"success":tru', KomerzaInvalidResponseError],
    [200, html, '<html>Just a moment…</html>', KomerzaUnavailableError],
    [200, json, '{"success":false,"code":"NotFound"}', KomerzaNotFoundError],
    [200, json, '{"success":false,"code":"AccessDenied"}', KomerzaForbiddenError],
    [200, json, '{"success":false,"code":"SomethingNew"}', KomerzaRejectedError],
  ])('HTTP %i %j %s → %p', (status, headers, body, type) => {
    expect(() => interpretResponse(route, status, headers, body)).toThrow(type);
  });

  it('names the missing scope on a JSON 403', () => {
    try {
      interpretResponse(ROUTES.subscriptions, 403, json, '{"success":false,"code":"AccessDenied"}');
    } catch (error) {
      expect(error).toMatchObject({ kind: 'forbidden', scope: 'stores.subscriptions.view' });
      return;
    }
    throw new Error('expected a throw');
  });

  it('treats a 403 HTML page as the CDN edge, not a scope problem', () => {
    expect(() => interpretResponse(route, 403, html, '<html>Service unavailable in your region</html>')).toThrow(
      expect.objectContaining({ kind: 'unavailable', reason: 'edge_blocked' }),
    );
  });

  it('marks a non-JSON 404 as a missing route', () => {
    expect(() => interpretResponse(route, 404, html, '<html>404</html>')).toThrow(
      expect.objectContaining({ kind: 'not_found', routeMissing: true }),
    );
    expect(() => interpretResponse(route, 404, json, '{"success":false,"code":"NotFound"}')).toThrow(
      expect.objectContaining({ kind: 'not_found', routeMissing: false }),
    );
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBe(2);
    expect(parseRetryAfter('2.0', now)).toBe(2);
    expect(() => interpretResponse(route, 429, { ...json, 'retry-after': '12' }, '{}')).toThrow(
      expect.objectContaining({ kind: 'rate_limited', retryAfterSeconds: 12 }),
    );
  });
});

describe('createKomerzaClient over HTTP', () => {
  let fake: FakeKomerza;
  beforeAll(async () => {
    fake = await startFakeKomerza();
  });
  afterAll(() => fake.close());

  const client = (apiKey = FAKE_API_KEY) =>
    createKomerzaClient({ baseUrl: fake.url, apiKey, storeId: STORE_ID, userAgent: 'test/1.0', timeoutMs: 1000 });

  it('sends the key, a User-Agent and Accept: application/json', async () => {
    const store = await client().getStore();
    expect(store.name).toBe('Northwind Goods');
    const call = fake.calls.at(-1);
    expect(call?.headers.authorization).toBe(`Bearer ${FAKE_API_KEY}`);
    expect(call?.headers['user-agent']).toBe('test/1.0');
    expect(call?.headers.accept).toBe('application/json');
  });

  it('parses a customer leniently: unknown fields pass, missing optional ones stay missing', async () => {
    const jane = fake.data.customers.find((c) => c.id === IDS.jane);
    if (!jane) throw new Error('fixture');
    const original = { ...jane };
    Object.assign(jane, { somethingNew: { nested: true }, ipAddress: null, affiliate: undefined });
    try {
      const customer = await client().getCustomer(IDS.jane);
      expect(customer.emailAddress).toBe('jane@example.com');
      expect(customer.ipAddress).toBeNull();
      expect(customer.tickets?.length).toBe(3);
    } finally {
      Object.assign(jane, original);
    }
  });

  it('turns a customer without its required fields into an invalid-response error', async () => {
    fake.addFault({
      path: `/customers/${IDS.bob}`,
      times: 1,
      fault: { kind: 'status', status: 200, body: { success: true, data: { id: IDS.bob } } },
    });
    await expect(client().getCustomer(IDS.bob)).rejects.toMatchObject({ kind: 'invalid_response' });
  });

  it('passes the page and page size, and reports the page count', async () => {
    const page = await client().searchCustomers('example', { page: 2, pageSize: 2 });
    expect(page).toMatchObject({ page: 2, pages: 4 });
    expect(page.items).toHaveLength(2);
    expect(fake.calls.at(-1)?.query.get('Page')).toBe('2');
    expect(fake.calls.at(-1)?.query.get('PageSize')).toBe('2');
  });

  it('maps a bad key to unauthorized and a dead server to unavailable', async () => {
    await expect(client('wrong-key-123').getStore()).rejects.toMatchObject({ kind: 'unauthorized' });
    const dead = createKomerzaClient({
      baseUrl: 'http://127.0.0.1:1',
      apiKey: 'k',
      storeId: STORE_ID,
      userAgent: 'x/1',
    });
    await expect(dead.getStore()).rejects.toMatchObject({ kind: 'unavailable', reason: 'network' });
  });

  it('times out a request that never answers (after its one retry)', async () => {
    fake.addFault({ path: '/permissions', times: 2, fault: { kind: 'hang' } });
    const slow = createKomerzaClient({
      baseUrl: fake.url,
      apiKey: FAKE_API_KEY,
      storeId: STORE_ID,
      userAgent: 'x/1',
      timeoutMs: 150,
    });
    await expect(slow.getPermissions()).rejects.toMatchObject({ kind: 'unavailable', reason: 'timeout' });
  });

  it('never turns a search for "." or ".." into another route (they cannot be path segments)', async () => {
    const before = fake.calls.length;
    for (const dots of ['.', '..']) expect((await client().searchCustomers(dots)).items).toEqual([]);
    expect(fake.calls.length).toBe(before);
    expect(pathSegment('a/b?c#d')).toBe('a%2Fb%3Fc%23d');
  });

  it('never carries the API key in its errors', async () => {
    fake.addFault({ path: '/permissions', times: 1, fault: { kind: 'reset' } });
    const error = await client()
      .getPermissions()
      .catch((e: unknown) => e);
    expect(JSON.stringify(error)).not.toContain(FAKE_API_KEY);
    expect(String((error as Error).message)).not.toContain(FAKE_API_KEY);
    expect((error as Error).cause).toBeUndefined();
  });
});

/**
 * Real sockets, so each Node line takes its own path: on Node 24.20+ a retried refused connection rejects with
 * Node's bare ERR_SOCKET_CLOSED_BEFORE_CONNECTION instead of got's RequestError (got issue 2469). `.ci/run` runs
 * this file on Node 20 and Node 24.
 */
describe('createKomerzaClient when Komerza cannot be reached', () => {
  const clientAt = (baseUrl: string) =>
    createKomerzaClient({
      baseUrl,
      apiKey: FAKE_API_KEY,
      storeId: STORE_ID,
      userAgent: 'test/1.0',
      timeoutMs: 2000,
      retry: { serverErrorBackoffMs: 10 },
    });

  async function listen(server: Server): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return address.port;
  }

  async function close(server: Server): Promise<void> {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async function expectNetworkError(promise: Promise<unknown>): Promise<void> {
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KomerzaUnavailableError);
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'network', route: ROUTES.store.name });
    expect((error as Error).cause).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain(FAKE_API_KEY);
  }

  it('maps a port nothing listens on (connection refused) to unavailable/network', async () => {
    // A port that was free a moment ago: listen, note it, close.
    const probe = createServer();
    const port = await listen(probe);
    await close(probe);
    await expectNetworkError(clientAt(`http://127.0.0.1:${port}`).getStore());
  });

  it('maps a server that accepts and then destroys the socket to unavailable/network, after one retry', async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    const port = await listen(server);
    try {
      await expectNetworkError(clientAt(`http://127.0.0.1:${port}`).getStore());
      expect(connections).toBe(2);
    } finally {
      await close(server);
    }
  });
});

describe('redirects from Komerza (hostile review #2)', () => {
  it('are not followed: a 301 to plain http on the same host never receives the API key', async () => {
    const seen: Array<{ url: string; authorization: string | undefined }> = [];
    const komerza = await listenHttp((req, res) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
      if (req.url?.startsWith('/moved')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true,"data":{"id":"x"}}');
        return;
      }
      res.writeHead(301, { location: `${komerza.url}/moved${req.url}` }).end();
    });
    try {
      const client = createKomerzaClient({
        baseUrl: `${komerza.url}/`,
        apiKey: FAKE_API_KEY,
        storeId: STORE_ID,
        userAgent: 'test/1.0',
      });
      await expect(client.getCustomer(IDS.jane)).rejects.toMatchObject({ kind: 'invalid_response', status: 301 });
      expect(seen.map((request) => request.url)).toEqual([`/stores/${STORE_ID}/customers/${IDS.jane}`]);
    } finally {
      await komerza.close();
    }
  });
});

describe('response size (hostile review #10)', () => {
  it('stops reading a body over the cap and reports an unexpected answer', async () => {
    let sent = 0;
    let closedEarly = false;
    const komerza = await listenHttp((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"success":true,"data":{"id":"x","note":"');
      const chunk = 'x'.repeat(64 * 1024);
      const pump = () => {
        while (sent < 48 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('"}}');
      };
      res.on('close', () => {
        if (sent < 48 * 1024 * 1024) closedEarly = true;
      });
      pump();
    });
    try {
      const client = createKomerzaClient({
        baseUrl: `${komerza.url}/`,
        apiKey: FAKE_API_KEY,
        storeId: STORE_ID,
        userAgent: 'test/1.0',
        timeoutMs: 20_000,
      });
      await expect(client.getCustomer(IDS.jane)).rejects.toMatchObject({ kind: 'invalid_response' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closedEarly).toBe(true);
      expect(sent).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await komerza.close();
    }
  });
});

describe('interpretResponse: 403s that are not about a scope', () => {
  it.each(['FeatureUnavailable', 'UpgradeRequired', 'VerificationRequired', 'SomethingNew'])(
    'a JSON 403 with %s is its own kind, naming the code, not a missing scope',
    (code) => {
      const body = JSON.stringify({ success: false, code, message: 'x', data: null });
      expect(() => interpretResponse(ROUTES.orders, 403, json, body)).toThrow(
        expect.objectContaining({ kind: 'feature_unavailable', code }),
      );
      expect(() => interpretResponse(ROUTES.orders, 403, json, body)).toThrow(KomerzaFeatureUnavailableError);
    },
  );

  it('keeps AccessDenied (and a 403 without a code) as the missing scope of the route', () => {
    for (const body of ['{"success":false,"code":"AccessDenied"}', '{"success":false}', '{}']) {
      expect(() => interpretResponse(ROUTES.products, 403, json, body)).toThrow(
        expect.objectContaining({ kind: 'forbidden', scope: 'stores.products.view' }),
      );
    }
  });

  it('maps the same codes inside a 200 with success: false', () => {
    expect(() => interpretResponse(route, 200, json, '{"success":false,"code":"UpgradeRequired","data":null}')).toThrow(
      expect.objectContaining({ kind: 'feature_unavailable', code: 'UpgradeRequired' }),
    );
  });

  it('reads ASP.NET problem bodies by their status alone, never quoting them', () => {
    const problem = JSON.stringify(problemBody(400, { PageSize: ['The value is not valid.'] }));
    const problemJson = { 'content-type': 'application/problem+json' };
    expect(() => interpretResponse(route, 400, problemJson, problem)).toThrow(
      expect.objectContaining({ kind: 'rejected', code: undefined, status: 400 }),
    );
    expect(() => interpretResponse(route, 404, problemJson, JSON.stringify(problemBody(404, {})))).toThrow(
      expect.objectContaining({ kind: 'not_found', routeMissing: true }),
    );
  });

  it('reads JSON sent as text/plain', () => {
    expect(
      interpretResponse(
        route,
        200,
        { 'content-type': 'text/plain; charset=utf-8' },
        '{"success":true,"data":{"id":"x"}}',
      ),
    ).toEqual({
      success: true,
      data: { id: 'x' },
    });
  });
});

describe('createKomerzaClient over HTTP: the reads a card needs, in every documented shape', () => {
  let fake: FakeKomerza;
  beforeAll(async () => {
    fake = await startFakeKomerza();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.clearFaults();
    fake.options.emailRoute = 'present';
    fake.options.jsonContentType = 'application/json; charset=utf-8';
    fake.options.honourSorts = true;
  });

  const client = (extra: Partial<Parameters<typeof createKomerzaClient>[0]> = {}) =>
    createKomerzaClient({
      baseUrl: fake.url,
      apiKey: FAKE_API_KEY,
      storeId: STORE_ID,
      userAgent: 'test/1.0',
      timeoutMs: 2000,
      ...extra,
    });

  it('lists every product of the store from products/all', async () => {
    const products = await client().listProducts();
    expect(products.find((p) => p.id === PRODUCT_IDS.documented)?.name).toBe('Starter kit');
    expect(fake.calls.at(-1)?.path).toBe(`/stores/${STORE_ID}/products/all`);
    expect([...(fake.calls.at(-1)?.query.keys() ?? [])]).toEqual([]);
  });

  it('reads a product list of null, or with a malformed row, without failing the rest', async () => {
    fake.addFault({
      path: '/products/all',
      times: 1,
      fault: { kind: 'status', status: 200, body: { success: true, message: null, code: null, data: null } },
    });
    expect(await client().listProducts()).toEqual([]);
    fake.addFault({
      path: '/products/all',
      times: 1,
      fault: {
        kind: 'status',
        status: 200,
        body: { success: true, data: [{ name: 'no id' }, { id: 'p1', name: 'Ok' }] },
      },
    });
    expect(await client().listProducts()).toEqual([{ id: 'p1', name: 'Ok' }]);
  });

  it('lists orders by the email filter, asking for the newest first (Sorts=-dateCreated)', async () => {
    const page = await client().listOrders({ email: 'riley@example.com', pageSize: 25 });
    const call = fake.calls.at(-1);
    expect(call?.path).toBe(`/stores/${STORE_ID}/orders`);
    expect(call?.query.get('email')).toBe('riley@example.com');
    expect(call?.query.get('Sorts')).toBe('-dateCreated');
    expect(call?.query.get('PageSize')).toBe('25');
    // The filter is a "contains" in the fake: another customer's order comes back too, with its own email.
    expect(page.items.map((o) => o.customerEmail)).toContain('bigriley@example.com');
    const dates = page.items.map((o) => Date.parse(o.dateCreated ?? ''));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    expect(page.items[0]?.items?.[0]).toMatchObject({ productName: 'Gift card', quantity: 1 });
  });

  it('reads an order object, which has no customerEmail (only list items do)', async () => {
    const order = await client().getOrder(IDS.rileyRefundedOrder);
    expect(order.customerEmail).toBeUndefined();
    expect(order.customer?.emailAddress).toBe('riley@example.com');
    expect(order.refund).toMatchObject({ amount: 190, reason: 1 });
    expect(order.chargeback).toMatchObject({ status: 'UnderReview', reason: 'Fraudulent' });
    expect(order.deliveredItems).toHaveLength(1);
  });

  it('treats `data: null` on a single-object route as not found', async () => {
    fake.options.emailRoute = 'data_null';
    await expect(client().getCustomerByEmail('nobody@example.com')).rejects.toMatchObject({
      kind: 'not_found',
      status: 200,
      routeMissing: false,
    });
    fake.addFault({
      path: `/customers/${IDS.bob}`,
      times: 1,
      fault: { kind: 'status', status: 200, body: { success: true, message: null, code: null } },
    });
    await expect(client().getCustomer(IDS.bob)).rejects.toBeInstanceOf(KomerzaNotFoundError);
  });

  it('reads `pages: 0` (no results) as one empty page', async () => {
    const page = await client().listOrders({ email: 'nobody-at-all@example.com' });
    expect(fake.calls.at(-1)?.query.get('email')).toBe('nobody-at-all@example.com');
    expect(page).toEqual({ items: [], page: 1, pages: 1 });
  });

  it('reads every answer when the fake sends its JSON as text/plain', async () => {
    fake.options.jsonContentType = 'text/plain; charset=utf-8';
    expect((await client().getCustomer(IDS.dana)).emailAddress).toBe('dana@example.net');
    expect((await client().listOrders({ email: 'dana@example.net' })).items).toHaveLength(2);
    expect((await client().listProducts()).length).toBeGreaterThan(0);
  });

  it('gets an ASP.NET problem body for a request that fails model binding, and maps it to rejected', async () => {
    const response = await fetch(`${fake.url}/stores/${STORE_ID}/orders?PageSize=0`, {
      headers: { authorization: `Bearer ${FAKE_API_KEY}`, 'user-agent': 't/1' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ title: 'One or more validation errors occurred.', status: 400 });
    await expect(client().listOrders({ email: 'a@b.example', pageSize: 0 })).rejects.toMatchObject({
      kind: 'rejected',
      status: 400,
      code: undefined,
    });
  });

  it('sends every new read through the rate limiter (a token per request, retries included)', async () => {
    let tokens = 0;
    const limiter = {
      acquire: async () => {
        tokens++;
      },
      status: () => ({ queued: 0, available: 12, estimatedWaitMs: 0 }),
      drain: () => undefined,
    };
    const limited = client({ rateLimiter: limiter, retry: { serverErrorBackoffMs: 5 } });
    await limited.listProducts();
    await limited.listOrders({ email: 'riley@example.com' });
    expect(tokens).toBe(2);
    fake.addFault({
      path: '/products/all',
      times: 1,
      fault: { kind: 'status', status: 503, text: '<html>down</html>' },
    });
    await limited.listProducts();
    expect(tokens).toBe(4);
  });
});
