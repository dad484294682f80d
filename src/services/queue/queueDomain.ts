/**
 * The parts of the queue's domain that QueueService runs but a staff screen's first render does not: the
 * aggregate that decides commands and builds the shown view, and the one wait estimator (issue 14: ≈ 11 KiB
 * gzipped off every staff screen's first load). `loadQueueDomain()` is called when the queue is first read,
 * together with the read, so the estimates come with the first queue the desk shows (no second render, no
 * layout jump). This module is the dynamic import's target: it imports them statically, so they are one chunk.
 */
export { QueueAggregate } from './models/QueueAggregate';
export { estimateQueueWaits } from './models/QueueWaitEstimates';
export { accuracyOverview, learnPastProfile } from './models/WaitEstimator';
export { undoableStep } from './models/UndoStep';
