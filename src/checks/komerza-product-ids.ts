import type { KomerzaCheckContext } from './komerza-context.js';
import type { Verdict } from './verdict.js';

/**
 * Do the product ids on a customer's subscriptions and orders name products of `products/all` (docs/komerza-api.md
 * §4.5b)? That list is where the card gets a name when Komerza sends only an id.
 */
export async function checkKomerzaProductIds(context: KomerzaCheckContext): Promise<Verdict | undefined> {
  const { email } = context;
  const found = email ? await context.customer() : undefined;
  if (!email || !found) return undefined;
  const ids = new Set<string>();
  const add = (id: string | null | undefined) => {
    if (typeof id === 'string' && id !== '') ids.add(id.toLowerCase());
  };
  for (const sub of found.customer.subscriptions ?? []) add(sub.productId);
  const subscriptions = await context.reads.subscriptions(email);
  if (subscriptions.ok) for (const sub of subscriptions.value.items) add(sub.productId);
  const orders = await context.reads.orders(email);
  if (orders.ok) for (const order of orders.value.items) for (const item of order.items ?? []) add(item?.productId);
  if (ids.size === 0) return undefined;
  const products = await context.reads.products();
  // The route check has said why the product list cannot be read.
  if (!products.ok) return undefined;
  const known = new Set(products.value.map((product) => product.id.toLowerCase()));
  const unknown = [...ids].filter((id) => !known.has(id)).length;
  const base = { id: 'komerza.product_ids', title: 'Products by id', required: false } as const;
  if (unknown === 0) {
    return {
      ...base,
      status: 'ok',
      meaning: `All ${ids.size} product id(s) on this customer's orders and subscriptions are in products/all: cards can name them.`,
    };
  }
  return {
    ...base,
    status: 'fail',
    meaning: `${unknown} of ${ids.size} product id(s) on this customer's orders and subscriptions are not in products/all: where Komerza sends no name, cards show "a product".`,
    advice: 'Check whether those products were deleted or are hidden from products/all; report it if neither.',
  };
}
