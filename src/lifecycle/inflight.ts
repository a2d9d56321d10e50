/**
 * Work that must finish before the process may exit: lookups whose answer is still on its way to a
 * response_url. Slack has already had its ack, so nothing else would wait for them; a shutdown that ignored them
 * would leave the person who asked with silence.
 */
export interface Inflight {
  /** Counts `work` until it settles and returns it unchanged (a rejection still reaches the caller). */
  track<T>(work: Promise<T>): Promise<T>;
  /** How many tracked promises have not settled yet. */
  size(): number;
  /**
   * Resolves once every tracked promise has settled, or after `timeoutMs`, whichever comes first. Work tracked
   * while draining is waited for too. `abandoned` is how many were still running when the time ran out.
   */
  drain(timeoutMs: number): Promise<{ abandoned: number }>;
}

export function createInflight(): Inflight {
  const pending = new Set<Promise<unknown>>();
  let idle: Array<() => void> = [];

  function settled(entry: Promise<unknown>): void {
    pending.delete(entry);
    if (pending.size === 0) {
      const waiters = idle;
      idle = [];
      for (const wake of waiters) wake();
    }
  }

  return {
    track<T>(work: Promise<T>): Promise<T> {
      // The entry never rejects, so draining does not depend on how the work ends.
      const entry: Promise<unknown> = work.then(
        () => settled(entry),
        () => settled(entry),
      );
      pending.add(entry);
      return work;
    },
    size: () => pending.size,
    drain(timeoutMs: number): Promise<{ abandoned: number }> {
      if (pending.size === 0) return Promise.resolve({ abandoned: 0 });
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          idle = idle.filter((wake) => wake !== onIdle);
          resolve({ abandoned: pending.size });
        }, timeoutMs);
        const onIdle = () => {
          clearTimeout(timer);
          resolve({ abandoned: 0 });
        };
        idle.push(onIdle);
      });
    },
  };
}
