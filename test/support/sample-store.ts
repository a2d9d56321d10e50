/**
 * A small, realistic Komerza store: the data behind the fake Komerza API in tests (and the demo).
 * Dates are relative to `now` so "expires in 3 days" stays true whenever the suite runs.
 */

export const STORE_ID = '5b0c5d0e-8a43-4c6f-9f0e-2f4d3c1b7a10';

const DAY = 86_400_000;
const iso = (now: Date, days: number) => new Date(now.getTime() + days * DAY).toISOString();

export interface SampleOrder {
  id: string;
  customer: { id: string; customerId: string; emailAddress: string };
  realCustomerId: string;
  customerEmail: string;
  status: string;
  amount: number;
}

export interface SampleData {
  store: Record<string, unknown>;
  customers: Array<Record<string, unknown> & { id: string; emailAddress: string }>;
  orders: SampleOrder[];
  subscriptions: Array<Record<string, unknown> & { id: string; customerEmail: string }>;
}

export const IDS = {
  jane: 'a1f3c2d4-1111-4a6b-9c3d-000000000001',
  bob: 'a1f3c2d4-2222-4a6b-9c3d-000000000002',
  quiet: 'a1f3c2d4-3333-4a6b-9c3d-000000000003',
  alex1: 'a1f3c2d4-4444-4a6b-9c3d-000000000004',
  alex2: 'a1f3c2d4-5555-4a6b-9c3d-000000000005',
  janeOrder: 'c0ffee00-aaaa-4bbb-8ccc-000000000101',
} as const;

export function sampleStore(now: Date = new Date()): SampleData {
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
          link: 'JANE10',
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
    ],
    orders: [
      {
        id: IDS.janeOrder,
        customer: {
          id: 'cd000000-0000-4000-8000-000000000001',
          customerId: IDS.jane,
          emailAddress: 'jane@example.com',
        },
        realCustomerId: IDS.jane,
        customerEmail: 'jane@example.com',
        status: 'Delivered',
        amount: 59.9,
      },
    ],
    subscriptions: [
      {
        id: 'd0000000-0000-4000-8000-000000000001',
        customerId: IDS.bob,
        customerEmail: 'bob@example.org',
        productId: 'p0000000-0000-4000-8000-000000000001',
        productName: 'Pro plan',
        variantName: 'Monthly',
        status: 0,
        currentPeriodEnd: iso(now, 3),
        autoRenew: true,
        cancelAtPeriodEnd: false,
        price: 19,
        currencyCode: 'USD',
      },
      {
        id: 'd0000000-0000-4000-8000-000000000002',
        customerId: IDS.bob,
        customerEmail: 'bob@example.org',
        productId: 'p0000000-0000-4000-8000-000000000002',
        productName: 'Add-on storage',
        status: 3,
        currentPeriodEnd: iso(now, -2),
        autoRenew: false,
        cancelAtPeriodEnd: false,
        price: 5,
        currencyCode: 'USD',
      },
      {
        id: 'd0000000-0000-4000-8000-000000000003',
        customerId: IDS.bob,
        customerEmail: 'bob@example.org',
        productId: 'p0000000-0000-4000-8000-000000000003',
        productName: 'Support plan',
        status: 0,
        currentPeriodEnd: iso(now, 40),
        autoRenew: false,
        cancelAtPeriodEnd: false,
        price: 9,
        currencyCode: 'USD',
      },
    ],
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
