/**
 * Requests waiting for a Komerza token, served in (priority, arrival) order: a lookup that started earlier (lower
 * priority value) goes first, so its second call does not wait behind every later lookup's first call.
 */
export class WaitQueue {
  private readonly items: Array<{ priority: number; seq: number; resolve: () => void }> = [];
  private seq = 0;

  get length(): number {
    return this.items.length;
  }

  push(priority: number, resolve: () => void): void {
    const item = { priority, seq: this.seq++, resolve };
    // Binary search for the first item that must come after this one; a later arrival goes after equal priorities.
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = this.items[mid];
      if (other && other.priority <= priority) low = mid + 1;
      else high = mid;
    }
    this.items.splice(low, 0, item);
  }

  /** Resolves the first `count` waiters. */
  release(count: number): void {
    for (const item of this.items.splice(0, count)) item.resolve();
  }
}
