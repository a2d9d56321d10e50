import type { RespondFn } from '@slack/bolt';
import { type QueuedInfo, queuedMessage } from '../blocks/queued.js';
import type { Deps } from '../deps.js';

/**
 * Komerza calls an uncached lookup makes in the queue: by email, the customer and the subscriptions (the store is
 * cached). Turns "requests waiting" into the "lookups ahead" a person understands; an estimate, and said to be one.
 */
export const CALLS_PER_LOOKUP = 2;

/** A lookup whose answer comes within this is never preceded by a notice (a cached card must not flash one). */
export const NOTICE_GRACE_MS = 150;

/** Taken as a lookup starts: how long its first Komerza call would queue, when that is worth telling. */
export function queueEstimate(deps: Pick<Deps, 'queue' | 'queueNoticeMs'>): QueuedInfo | undefined {
  const status = deps.queue?.status();
  if (!status || status.estimatedWaitMs < deps.queueNoticeMs) return undefined;
  return { lookupsAhead: Math.ceil(status.queued / CALLS_PER_LOOKUP), waitMs: status.estimatedWaitMs };
}

/**
 * Waits for `work`; if the queue estimate said it will be slow and it is not done within the grace period, calls
 * `notify` first (which returns whether the notice was delivered). Tells the caller whether a notice went out, so
 * the answer can replace it.
 */
export async function withQueueNotice<T>(
  work: Promise<T>,
  estimate: QueuedInfo | undefined,
  notify: (info: QueuedInfo) => Promise<boolean>,
  graceMs: number = NOTICE_GRACE_MS,
): Promise<{ result: T; notified: boolean }> {
  if (!estimate) return { result: await work, notified: false };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), graceMs);
  });
  const first = await Promise.race([work.then(() => 'done' as const), grace]);
  clearTimeout(timer);
  const notified = first === 'slow' ? await notify(estimate) : false;
  return { result: await work, notified };
}

/** Posts the notice privately through the response_url; an expired or used-up one just means no notice. */
export function postQueuedNotice(respond: RespondFn): (info: QueuedInfo) => Promise<boolean> {
  return async (info) => {
    try {
      await respond({ response_type: 'ephemeral', ...queuedMessage(info) });
      return true;
    } catch {
      return false;
    }
  };
}
