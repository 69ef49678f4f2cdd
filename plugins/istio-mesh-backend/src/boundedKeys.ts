/**
 * The most recently written keys, at most `max`: remembering one more hands back the
 * oldest, for its cache entry to be deleted. A cache store forgets an entry only when
 * it is read after its ttl, so without this every distinct query would stay in memory.
 */
export class BoundedKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly max: number) {}

  /** Remembers key as the newest; returns the keys pushed out. */
  remember(key: string): string[] {
    this.keys.delete(key);
    this.keys.add(key);
    const evicted: string[] = [];
    for (const oldest of this.keys) {
      if (this.keys.size <= this.max) break;
      this.keys.delete(oldest);
      evicted.push(oldest);
    }
    return evicted;
  }

  get size(): number {
    return this.keys.size;
  }
}
