import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The priority of the lookup a Komerza call belongs to, carried through async calls so the client's beforeRequest
 * hook can pass it to the token queue without a parameter on every read. Lower goes first: a lookup's start time.
 */
const storage = new AsyncLocalStorage<number>();

/** Runs `fn` (a whole lookup) with its Komerza calls queued at `priority`. */
export function runWithLookupPriority<T>(priority: number, fn: () => T): T {
  return storage.run(priority, fn);
}

/**
 * Runs `fn` as a lookup starting now: its calls go ahead of those of any lookup that starts later. Inside a lookup
 * already (a message's candidates, each looked up as a query), it keeps that lookup's place.
 */
export function runAsLookup<T>(fn: () => T): T {
  return storage.getStore() === undefined ? runWithLookupPriority(performance.now(), fn) : fn();
}

/** The current lookup's priority, if the call runs inside one. */
export function currentLookupPriority(): number | undefined {
  return storage.getStore();
}
