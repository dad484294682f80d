// The queue events as they travel on the in-process bus: one bus key per event type (added beside the
// queue api; other modules subscribe through this map).
import type { QueueEventOf, QueueEventType } from '../events';

export type QueueBusEvents = { [K in QueueEventType]: QueueEventOf<K> };
