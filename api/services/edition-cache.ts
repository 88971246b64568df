/**
 * A short-lived, bounded in-process cache of public list editions (公示名单), so a burst of identical
 * anonymous requests asks PostgreSQL once. It keeps the promise, not only the result: requests that
 * arrive while the first one's query is still running wait for that query instead of starting their own.
 *
 * Bounded by weight (the public lists count rows), oldest first: every entry lives the same time, so
 * insertion order is expiry order. A failed load is forgotten at once, so an outage is not cached.
 */
export class EditionCache {
  private readonly entries = new Map<string, { expires: number; weight: number; value: Promise<unknown> }>();
  private weight = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxWeight: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value of `key`, or `load()`'s, kept for the time to live when it succeeds. */
  get<T>(key: string, load: () => Promise<T>, weigh: (value: T) => number = () => 1): Promise<T> {
    if (this.ttlMs <= 0) return load();
    this.dropExpired();
    const hit = this.entries.get(key);
    if (hit) return hit.value as Promise<T>;
    const value = load();
    const entry = { expires: this.now() + this.ttlMs, weight: 1, value: value as Promise<unknown> };
    this.entries.set(key, entry);
    this.weight += entry.weight;
    value.then(
      (v) => {
        if (this.entries.get(key) !== entry) return;
        const w = Math.max(1, weigh(v));
        this.weight += w - entry.weight;
        entry.weight = w;
        this.shrink();
      },
      () => this.drop(key, entry),
    );
    this.shrink();
    return value;
  }

  private drop(key: string, entry: { weight: number }): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    this.weight -= entry.weight;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expires > now) break;
      this.drop(key, entry);
    }
  }

  private shrink(): void {
    for (const [key, entry] of this.entries) {
      if (this.weight <= this.maxWeight) break;
      this.drop(key, entry);
    }
  }
}
