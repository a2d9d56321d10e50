/**
 * What to tell each person whose lookup is still running when the app must stop: at shutdown, past the drain
 * deadline, a lookup left unfinished would leave its person looking at "Queued…", "Looking up…", or nothing.
 * Listeners register a last message for the duration of their work; the stop says the ones still registered.
 */
export interface Farewells {
  /** Runs `work`; if the app stops before it ends, `say` tells the person (it must not throw). */
  during<T>(say: () => Promise<void>, work: () => Promise<T>): Promise<T>;
  /** How many are registered now. */
  size(): number;
  /** Says every registered farewell at once, within `timeoutMs`; resolves with how many finished in time. */
  sayAll(timeoutMs: number): Promise<number>;
}

export function createFarewells(): Farewells {
  const registered = new Set<() => Promise<void>>();
  return {
    async during(say, work) {
      registered.add(say);
      try {
        return await work();
      } finally {
        registered.delete(say);
      }
    },
    size: () => registered.size,
    async sayAll(timeoutMs) {
      const pending = [...registered];
      registered.clear();
      let said = 0;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(pending.map((say) => say().then(() => void said++))),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      return said;
    },
  };
}
