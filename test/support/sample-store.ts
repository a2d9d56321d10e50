import { readFileSync } from 'node:fs';

/**
 * A small, realistic Komerza store: the data behind the fake Komerza API in tests (and the demo).
 * Dates are relative to `now` so "expires in 3 days" stays true whenever the suite runs.
 */

export const STORE_ID = '5b0c5d0e-8a43-4c6f-9f0e-2f4d3c1b7a10';

const DAY = 86_400_000;
const iso = (now: Date, days: number) => new Date(now.getTime() + days * DAY).toISOString();
/** The same instant without its `Z`, as .NET writes a `DateTime` of unspecified kind (docs/komerza-api.md §5). */
const isoWithoutOffset = (now: Date, days: number) => iso(now, days).slice(0, 19);

/** `Order` as `GET /orders/{id}` answers it (§5.7): no `customerEmail`, which only the list items carry. */
export interface SampleOrder extends Record<string, unknown> {
  id: string;
  dateCreated: string;
  customer: { id: string; customerId: string; emailAddress: string; dateCreated?: string; countryCode?: string };
  realCustomerId: string;
  status: string;
  amount: number;
  amountPaid: number;
  currencyCode: string;
  gateway: string;
  items: Array<Record<string, unknown>>;
  deliveredItems: Array<Record<string, unknown>>;
}

export interface SampleData {
  store: Record<string, unknown>;
  customers: Array<Record<string, unknown> & { id: string; emailAddress: string }>;
  orders: SampleOrder[];
  subscriptions: Array<Record<string, unknown> & { id: string; customerEmail: string }>;
  /** `PublicProductReference` rows, as `products/all` lists them (§4.5b). */
  products: Array<Record<string, unknown> & { id: string; name: string }>;
}

export const IDS = {
  jane: 'a1f3c2d4-1111-4a6b-9c3d-000000000001',
  bob: 'a1f3c2d4-2222-4a6b-9c3d-000000000002',
  quiet: 'a1f3c2d4-3333-4a6b-9c3d-000000000003',
  alex1: 'a1f3c2d4-4444-4a6b-9c3d-000000000004',
  alex2: 'a1f3c2d4-5555-4a6b-9c3d-000000000005',
  /** In the documented "Get customer" shape (test/fixtures/komerza-get-customer.json). */
  dana: 'a1f3c2d4-6666-4a6b-9c3d-000000000006',
  /** Recent orders, and a subscription whose renewal payment keeps failing. */
  riley: 'a1f3c2d4-7777-4a6b-9c3d-000000000007',
  janeOrder: 'c0ffee00-aaaa-4bbb-8ccc-000000000101',
  /** Riley's refunded order with a chargeback. */
  rileyRefundedOrder: 'a9d8e7f6-aaaa-4bbb-8ccc-000000000207',
} as const;

export const PRODUCT_IDS = {
  pro: '9f000000-0000-4000-8000-000000000001',
  storage: '9f000000-0000-4000-8000-000000000002',
  support: '9f000000-0000-4000-8000-000000000003',
  team: '9f000000-0000-4000-8000-000000000004',
  stickers: '9f000000-0000-4000-8000-000000000005',
  giftCard: '9f000000-0000-4000-8000-000000000006',
  community: '9f000000-0000-4000-8000-000000000007',
  /** The product id of the documented example's embedded subscription. */
  documented: '3c90c3cc-0d44-4b50-8888-8dd25736052a',
} as const;

/** The 200 body of Komerza's documented "Get customer" example, verbatim (docs/komerza-api.md §5.1). */
export interface DocumentedCustomerExample {
  response: { success: boolean; message: string; code: string; data: Record<string, unknown> };
}

export function documentedCustomerExample(): DocumentedCustomerExample {
  const path = new URL('../fixtures/komerza-get-customer.json', import.meta.url);
  return JSON.parse(readFileSync(path, 'utf8')) as DocumentedCustomerExample;
}

const PRODUCT_NAMES: Record<keyof typeof PRODUCT_IDS, string> = {
  pro: 'Pro plan',
  storage: 'Add-on storage',
  support: 'Support plan',
  team: 'Team plan',
  stickers: 'Sticker pack',
  giftCard: 'Gift card',
  community: 'Community access',
  documented: 'Starter kit',
};

export function sampleStore(now: Date = new Date()): SampleData {
  const product = (key: keyof typeof PRODUCT_IDS) => ({ productId: PRODUCT_IDS[key], productName: PRODUCT_NAMES[key] });
  return {
    store: {
      id: STORE_ID,
      name: 'Northwind Goods',
      currencyCode: 'USD',
      url: 'northwind',
      domain: 'northwind.komerza.com',
      isCustomerBalanceEnabled: true,
      isTicketingEnabled: true,
      dateCreated: iso(now, -900),
    },
    products: (Object.keys(PRODUCT_IDS) as Array<keyof typeof PRODUCT_IDS>).map((key, i) => ({
      id: PRODUCT_IDS[key],
      dateCreated: iso(now, -800 + i),
      name: PRODUCT_NAMES[key],
      description: `${PRODUCT_NAMES[key]} from Northwind Goods`,
      imageNames: [],
      rating: 4.5,
      order: i,
      visibility: 0,
      storeId: STORE_ID,
      slug: PRODUCT_NAMES[key].toLowerCase().replace(/\s+/g, '-'),
      variants: [],
      isBestSeller: i === 0,
      metadata: null,
      affiliateDiscountMode: 0,
    })),
    customers: [
      {
        // A big spender with open tickets, one of them waiting on the support team.
        id: IDS.jane,
        dateCreated: iso(now, -700),
        emailAddress: 'jane@example.com',
        status: 'VIP',
        totalSpend: 12345.5,
        averageSpend: 205.76,
        totalOrders: 60,
        ipAddress: '203.0.113.24',
        balance: 25,
        externalIntegrations: { discord: '81234567890123456' },
        affiliate: {
          id: 'af000000-0000-4000-8000-000000000001',
          dateCreated: iso(now, -300),
          isEnabled: true,
          link: 'https://northwind.komerza.com/?ref=JANE10',
          balance: 42.1,
          returnPercentage: 10,
          percentageOff: 5,
        },
        tickets: [
          {
            id: 'b0000000-0000-4000-8000-000000000001',
            dateCreated: iso(now, -3),
            subject: 'Order arrived damaged',
            status: 4,
            storeId: STORE_ID,
            customerId: IDS.jane,
            emailAddress: 'jane@example.com',
            entries: [
              { id: 'e1', dateCreated: iso(now, -3), message: 'The box was crushed.', name: 'Jane' },
              { id: 'e2', dateCreated: iso(now, -2), message: 'Sorry! Could you send a photo?', name: 'Support' },
              { id: 'e3', dateCreated: iso(now, -1), message: 'Photo attached, thanks.', name: 'Jane' },
            ],
          },
          {
            id: 'b0000000-0000-4000-8000-000000000002',
            dateCreated: iso(now, -10),
            subject: 'Invoice for March',
            status: 3,
            storeId: STORE_ID,
            customerId: IDS.jane,
            emailAddress: 'jane@example.com',
            entries: [{ id: 'e4', dateCreated: iso(now, -9), message: 'Invoice sent by email.', name: 'Support' }],
          },
          {
            id: 'b0000000-0000-4000-8000-000000000003',
            dateCreated: iso(now, -40),
            subject: 'Old question',
            status: 1,
            storeId: STORE_ID,
            customerId: IDS.jane,
            entries: [],
          },
        ],
      },
      {
        // Subscriptions: one expiring soon, one expired, one with auto-renew off.
        id: IDS.bob,
        dateCreated: iso(now, -200),
        emailAddress: 'bob@example.org',
        status: 'Regular',
        totalSpend: 310,
        averageSpend: 31,
        totalOrders: 10,
        ipAddress: '198.51.100.7',
        balance: 0,
        externalIntegrations: {},
        tickets: [],
      },
      {
        // No activity at all.
        id: IDS.quiet,
        dateCreated: iso(now, -5),
        emailAddress: 'quiet@example.net',
        status: 'New',
        totalSpend: 0,
        averageSpend: 0,
        totalOrders: 0,
        balance: 0,
        tickets: [],
      },
      {
        // Two customers that match the same search ("alex").
        id: IDS.alex1,
        dateCreated: iso(now, -100),
        emailAddress: 'alex.smith@example.com',
        status: 'Regular',
        totalSpend: 120,
        averageSpend: 40,
        totalOrders: 3,
        balance: 0,
        tickets: [],
      },
      {
        id: IDS.alex2,
        dateCreated: iso(now, -50),
        emailAddress: 'alexandra@example.co.uk',
        status: 'New',
        totalSpend: 35.99,
        averageSpend: 35.99,
        totalOrders: 1,
        balance: 5,
        tickets: [],
      },
      documentedShapeCustomer(now),
      {
        // Recent orders (one refunded with a chargeback) and a subscription whose renewal payment keeps failing.
        id: IDS.riley,
        dateCreated: iso(now, -400),
        emailAddress: 'riley@example.com',
        status: 'Regular',
        totalSpend: 512.4,
        averageSpend: 64.05,
        totalOrders: 8,
        ipAddress: '192.0.2.55',
        balance: 0,
        externalIntegrations: {},
        tickets: [
          {
            id: 'b0000000-0000-4000-8000-000000000021',
            dateCreated: iso(now, -1),
            subject: 'Card declined on renewal',
            status: 0,
            storeId: STORE_ID,
            customerId: IDS.riley,
            emailAddress: 'riley@example.com',
            entries: [
              {
                id: 'e21',
                dateCreated: iso(now, -1),
                message: 'My card was declined for the Team plan. I updated it, can you retry?',
                name: 'Riley',
              },
            ],
          },
        ],
      },
    ],
    orders: [
      order(now, {
        id: IDS.janeOrder,
        days: -4,
        customer: [IDS.jane, 'jane@example.com', 'cd000000-0000-4000-8000-000000000001'],
        status: 'Delivered',
        items: [
          { ...product('stickers'), quantity: 2, amount: 9.95 },
          { ...product('giftCard'), quantity: 1, amount: 40 },
        ],
        delivered: 2,
      }),
      order(now, {
        id: '7d3f2a10-aaaa-4bbb-8ccc-000000000102',
        days: -30,
        customer: [IDS.jane, 'jane@example.com', 'cd000000-0000-4000-8000-000000000001'],
        status: 'Delivered',
        items: [{ ...product('pro'), quantity: 1, amount: 190 }],
        delivered: 1,
      }),
      // Riley: seven orders, stored out of date order (the app sorts them itself as well).
      ...(
        [
          ['e4b2c901', '201', -2, 'Pending', 'team', 29, 0],
          ['91aa07d3', '202', -33, 'Delivered', 'team', 29, 1],
          ['3f6c2e88', '203', -63, 'Delivered', 'team', 29, 1],
          ['b7d41a5c', '204', -9, 'Delivered', 'stickers', 19.9, 1],
          ['0c9e6f12', '205', -120, 'Delivered', 'giftCard', 50, 1],
          ['68f3b2a0', '206', -95, 'Delivered', 'team', 29, 1],
        ] as const
      ).map(([prefix, n, days, status, key, amount, delivered]) =>
        order(now, {
          id: `${prefix}-aaaa-4bbb-8ccc-000000000${n}`,
          days,
          customer: [IDS.riley, 'riley@example.com', 'cd000000-0000-4000-8000-000000000007'],
          status,
          items: [
            { ...product(key), quantity: key === 'stickers' ? 2 : 1, amount: key === 'stickers' ? amount / 2 : amount },
          ],
          delivered,
        }),
      ),
      order(now, {
        id: IDS.rileyRefundedOrder,
        days: -15,
        customer: [IDS.riley, 'riley@example.com', 'cd000000-0000-4000-8000-000000000007'],
        status: 'Refunded',
        items: [{ ...product('pro'), quantity: 1, amount: 190 }],
        delivered: 1,
        extra: {
          refund: { id: 'aa000000-0000-4000-8000-000000000001', dateCreated: iso(now, -12), reason: 1, amount: 190 },
          chargeback: {
            id: 'ab000000-0000-4000-8000-000000000001',
            dateCreated: iso(now, -11),
            status: 'UnderReview',
            reason: 'Fraudulent',
            orderId: IDS.rileyRefundedOrder,
          },
        },
      }),
      // Dana (the documented shape): two orders.
      order(now, {
        id: '2b7c9d10-aaaa-4bbb-8ccc-000000000601',
        days: -6,
        customer: [IDS.dana, 'dana@example.net', 'cd000000-0000-4000-8000-000000000006'],
        status: 'Delivered',
        items: [{ ...product('stickers'), quantity: 1, amount: 9.95 }],
        delivered: 1,
      }),
      order(now, {
        id: '4e8a1c22-aaaa-4bbb-8ccc-000000000602',
        days: -340,
        customer: [IDS.dana, 'dana@example.net', 'cd000000-0000-4000-8000-000000000006'],
        status: 'Delivered',
        items: [{ ...product('community'), quantity: 1, amount: 60 }],
        delivered: 1,
      }),
      // A guest whose address contains Riley's: the orders `email` filter lets it through, the app must not show it.
      order(now, {
        id: 'ffee1234-aaaa-4bbb-8ccc-000000000301',
        days: -1,
        customer: [
          'cd000000-0000-4000-8000-000000000301',
          'bigriley@example.com',
          'cd000000-0000-4000-8000-000000000301',
        ],
        status: 'Delivered',
        items: [{ ...product('giftCard'), quantity: 1, amount: 25 }],
        delivered: 1,
      }),
    ],
    subscriptions: [
      {
        id: 'd0000000-0000-4000-8000-000000000001',
        customerId: IDS.bob,
        customerEmail: 'bob@example.org',
        ...product('pro'),
        variantName: 'Monthly',
        status: 0,
        billingInterval: 2,
        price: 19,
        currencyCode: 'USD',
        currentPeriodStart: iso(now, -27),
        currentPeriodEnd: iso(now, 3),
        autoRenew: true,
        cancelAtPeriodEnd: false,
        failedPaymentCount: 0,
        dateCreated: iso(now, -150),
      },
      {
        id: 'd0000000-0000-4000-8000-000000000002',
        customerId: IDS.bob,
        customerEmail: 'bob@example.org',
        ...product('storage'),
        status: 3,
        billingInterval: 2,
        price: 5,
        currencyCode: 'USD',
        currentPeriodStart: iso(now, -32),
        currentPeriodEnd: iso(now, -2),
        autoRenew: false,
        cancelAtPeriodEnd: false,
        failedPaymentCount: 0,
        dateCreated: iso(now, -92),
      },
      {
        id: 'd0000000-0000-4000-8000-000000000003',
        customerId: IDS.bob,
        customerEmail: 'bob@example.org',
        ...product('support'),
        status: 0,
        billingInterval: 4,
        price: 9,
        currencyCode: 'USD',
        currentPeriodStart: iso(now, -325),
        currentPeriodEnd: iso(now, 40),
        autoRenew: false,
        cancelAtPeriodEnd: false,
        failedPaymentCount: 0,
        dateCreated: iso(now, -325),
      },
      {
        // The renewal is due and its payment failed twice: Komerza retries in two days.
        id: 'd0000000-0000-4000-8000-000000000021',
        customerId: IDS.riley,
        customerEmail: 'riley@example.com',
        ...product('team'),
        variantName: '5 seats',
        status: 1,
        billingInterval: 2,
        price: 29,
        currencyCode: 'USD',
        currentPeriodStart: iso(now, -32),
        currentPeriodEnd: iso(now, -2),
        autoRenew: true,
        cancelAtPeriodEnd: false,
        failedPaymentCount: 2,
        lastPaymentFailureDate: iso(now, -1),
        nextRetryDate: iso(now, 2),
        gateway: 'stripe',
        dateCreated: iso(now, -122),
      },
      {
        id: 'd0000000-0000-4000-8000-000000000022',
        customerId: IDS.riley,
        customerEmail: 'riley@example.com',
        ...product('community'),
        status: 0,
        billingInterval: 4,
        price: 60,
        currencyCode: 'USD',
        currentPeriodStart: iso(now, -353),
        currentPeriodEnd: iso(now, 12),
        autoRenew: true,
        cancelAtPeriodEnd: true,
        canceledAt: iso(now, -5),
        failedPaymentCount: 0,
        gateway: 'stripe',
        dateCreated: iso(now, -353),
      },
    ],
  };
}

/**
 * A customer exactly in the shape of Komerza's documented "Get customer" example: the example's own object (read
 * from the fixture, not retyped) with its placeholder values replaced by a plausible customer. Like the example, its
 * subscriptions are embedded with a product id and no name, and the fake's `/subscriptions` list has none of them.
 * Its date-times carry no offset (docs/komerza-api.md §10), which the app must read as UTC.
 */
export function documentedShapeCustomer(now: Date): SampleData['customers'][number] {
  const example = documentedCustomerExample().response.data;
  const template = structuredClone(example) as DocumentedCustomer;
  const [subscription] = template.subscriptions;
  const [ticket] = template.tickets;
  const [entry] = ticket?.entries ?? [];
  if (!subscription || !ticket || !entry) throw new Error('the documented example lost its subscriptions or tickets');
  const customer: DocumentedCustomer = {
    ...template,
    id: IDS.dana,
    dateCreated: isoWithoutOffset(now, -820),
    emailAddress: 'dana@example.net',
    status: 'Regular',
    totalSpend: 842.5,
    averageSpend: 70.21,
    totalOrders: 12,
    ipAddress: '198.51.100.42',
    balance: 12.5,
    externalIntegrations: {},
    subscriptions: [
      {
        ...subscription,
        id: 'd0000000-0000-4000-8000-000000000061',
        dateCreated: isoWithoutOffset(now, -340),
        startDate: isoWithoutOffset(now, -340),
        expirationDate: isoWithoutOffset(now, 25),
        productId: PRODUCT_IDS.community,
      },
      {
        ...subscription,
        id: 'd0000000-0000-4000-8000-000000000062',
        dateCreated: isoWithoutOffset(now, -400),
        startDate: isoWithoutOffset(now, -400),
        expirationDate: isoWithoutOffset(now, -35),
        productId: PRODUCT_IDS.documented,
      },
    ],
    tickets: [
      {
        ...ticket,
        id: 'b0000000-0000-4000-8000-000000000061',
        dateCreated: isoWithoutOffset(now, -2),
        subject: 'How do I change my delivery address?',
        status: 0,
        storeId: STORE_ID,
        customerId: IDS.dana,
        emailAddress: 'dana@example.net',
        entries: [
          {
            ...entry,
            id: 'e61',
            dateCreated: isoWithoutOffset(now, -2),
            message: 'I moved last week. Where do I update my address?',
            name: 'Dana',
          },
        ],
      },
    ],
    affiliate: {
      ...template.affiliate,
      id: 'af000000-0000-4000-8000-000000000061',
      dateCreated: isoWithoutOffset(now, -200),
      isEnabled: true,
      link: 'https://northwind.komerza.com/?ref=DANA',
      balance: 18.4,
      returnPercentage: 8,
      percentageOff: 5,
    },
  };
  return customer as unknown as SampleData['customers'][number];
}

/** The example's shape, as far as this file fills it in (every key the example has stays, and no other is added). */
interface DocumentedCustomer extends Record<string, unknown> {
  subscriptions: Array<Record<string, unknown>>;
  tickets: Array<Record<string, unknown> & { entries?: Array<Record<string, unknown>> }>;
  affiliate: Record<string, unknown>;
}

interface OrderInput {
  id: string;
  days: number;
  /** The customer's id, email and the order's own customer record id. */
  customer: readonly [string, string, string];
  status: string;
  items: Array<{ productId: string; productName: string; quantity: number; amount: number }>;
  delivered: number;
  extra?: Record<string, unknown>;
}

function order(now: Date, input: OrderInput): SampleOrder {
  const [customerId, emailAddress, recordId] = input.customer;
  const amount = Math.round(input.items.reduce((sum, item) => sum + item.amount * item.quantity, 0) * 100) / 100;
  return {
    id: input.id,
    dateCreated: iso(now, input.days),
    customer: { id: recordId, customerId, emailAddress, dateCreated: iso(now, input.days), countryCode: 'US' },
    realCustomerId: customerId,
    status: input.status,
    amount,
    amountPaid: input.status === 'Pending' ? 0 : amount,
    currencyCode: 'USD',
    gateway: 'stripe',
    items: input.items.map((item, i) => ({
      id: `${input.id.slice(0, 24)}${String(i).padStart(12, '0')}`,
      dateCreated: iso(now, input.days),
      ...item,
      variantName: 'Default',
      lineTotal: Math.round(item.amount * item.quantity * 100) / 100,
    })),
    deliveredItems: Array.from({ length: input.delivered }, (_, i) => ({
      id: `${input.id.slice(0, 24)}${String(100 + i).padStart(12, '0')}`,
      orderId: input.id,
      productId: input.items[0]?.productId,
      type: 'text',
      source: 'stock',
    })),
    isDeliveredManually: false,
    source: 'store',
    isSubscriptionOrder: false,
    ...input.extra,
  };
}

/** `count` more ordinary customers (`customer{i}@example.net`), each with one subscription: for load tests. */
export function addCustomers(data: SampleData, count: number, now: Date = new Date()): string[] {
  const emails: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(12, '0');
    const email = `customer${i}@example.net`;
    emails.push(email);
    data.customers.push({
      id: `e0000000-0000-4000-8000-${n}`,
      dateCreated: iso(now, -100 - i),
      emailAddress: email,
      status: 'Regular',
      totalSpend: 100 + i,
      averageSpend: 50,
      totalOrders: 2,
      balance: 0,
      tickets: [],
    });
    data.subscriptions.push({
      id: `f0000000-0000-4000-8000-${n}`,
      customerId: `e0000000-0000-4000-8000-${n}`,
      customerEmail: email,
      productName: `Plan ${i}`,
      status: 0,
      currentPeriodEnd: iso(now, 10),
      autoRenew: true,
      cancelAtPeriodEnd: false,
      price: 10,
      currencyCode: 'USD',
    });
  }
  return emails;
}
