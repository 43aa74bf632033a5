import { createHash } from 'node:crypto';

/** An event put on the local bus, as EventBridge would deliver it to a rule's target. */
export interface BusEvent {
  id: string;
  busName: string;
  source: string;
  detailType: string;
  detail: unknown;
  time: string;
}

/**
 * Stands in for EventBridge buses in the sandbox: `events:putEvents` Tasks land here, in order.
 * Event ids are derived from the entry so identical puts get identical ids, like the flow's own
 * deterministic `detail.eventId`.
 */
export class LocalEventBus {
  readonly events: BusEvent[] = [];
  private readonly listeners: ((event: BusEvent) => void)[] = [];

  /** Records PutEvents entries and returns the PutEvents response. */
  put(
    entries: {
      EventBusName?: string;
      Source: string;
      DetailType: string;
      Detail: string | object;
    }[],
  ) {
    const results = entries.map((entry) => {
      const detail = typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : entry.Detail;
      const id = createHash('sha256')
        .update(JSON.stringify([entry.EventBusName, entry.Source, entry.DetailType, detail]))
        .digest('hex')
        .slice(0, 32);
      const event: BusEvent = {
        id,
        busName: entry.EventBusName ?? 'default',
        source: entry.Source,
        detailType: entry.DetailType,
        detail,
        time: new Date().toISOString(),
      };
      this.events.push(event);
      this.listeners.forEach((l) => l(event));
      return { EventId: id };
    });
    return { Entries: results, FailedEntryCount: 0 };
  }

  /** Calls `listener` for every event put from now on. */
  subscribe(listener: (event: BusEvent) => void): void {
    this.listeners.push(listener);
  }
}
