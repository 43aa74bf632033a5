// Redelivery protection for the webhook (issue 13: "a redelivery publishes once"). Stripe
// retries a delivery until it gets a 2xx and may deliver one event more than once
// (https://docs.stripe.com/webhooks#handle-duplicate-events), so the Stripe event id is the
// idempotency key. A durable store needs DynamoDB (Powertools Idempotency's persistence
// layer), which issue 14 adds; until then the default store remembers ids per execution
// environment, and `detail.stripeEventId` lets every consumer drop a repeat that reaches the
// bus from another environment. Swap in a durable store through this interface.

/** Remembers which keys have been handled. */
export interface IdempotencyStore {
  /** Whether `key` was recorded and has not expired. */
  seen(key: string): Promise<boolean>;
  /** Records `key` as handled; call only once the side effect (the PutEvents) succeeded. */
  record(key: string): Promise<void>;
}

/**
 * An {@link IdempotencyStore} in memory, bounded in size and time: it survives warm invocations
 * of one execution environment only. Not durable: see this file's header for the gap.
 */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, number>();

  /**
   * @param ttlSeconds how long a key is remembered (default 1 hour, beyond Stripe's 5-minute
   *   signature tolerance, so no accepted redelivery can outlive its key).
   * @param maxEntries oldest keys are dropped past this many (default 10 000).
   * @param now the clock in milliseconds (tests).
   */
  constructor(
    private readonly ttlSeconds = 3600,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async seen(key: string): Promise<boolean> {
    const expires = this.entries.get(key);
    if (expires === undefined) return false;
    if (expires <= this.now()) {
      this.entries.delete(key);
      return false;
    }
    return true;
  }

  async record(key: string): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, this.now() + this.ttlSeconds * 1000);
    // A Map iterates in insertion order: the first keys are the oldest.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }
}
