// The apply-or-reload rule of a staff screen over Realtime (issue 12): a complete next version is applied,
// everything else reloads or is ignored — gaps, duplicates, out-of-order rows, several rows per version.
import { describe, expect, it } from 'vitest';
import { QueueDeltas, type ShownQueue } from './QueueDeltas';
import type { EntryChange, QueueChange, QueueControl } from './repositories/QueueChangeFeed';
import type { EntryChangeRow } from './repositories/queueEntryRow';

const Q = 'queue-today';
const row = (id: string, version: number, status: EntryChangeRow['status'] = 'called'): EntryChangeRow =>
  ({ id, queue_id: Q, queue_version: version, status }) as EntryChangeRow;
const entry = (id: string, version: number | null, queueId = Q): EntryChange => ({
  queueId,
  version,
  row: version === null ? null : { ...row(id, version), queue_id: queueId },
});
const bump = (version: number, entryCount?: number, queueId = Q): QueueChange => ({
  clinicId: 'c',
  queueId,
  day: '2026-12-01',
  version,
  ...(entryCount !== undefined ? { entryCount } : {}),
});
const at = (version: number): ShownQueue => ({ queueId: Q, version });

describe('QueueDeltas: when a screen applies a change and when it reloads', () => {
  it('applies the next version when its one row arrived before its queue row', () => {
    const d = new QueueDeltas();
    expect(d.entry(entry('a', 6), at(5))).toEqual({ kind: 'none' });
    const step = d.queue(bump(6, 1), at(5));
    expect(step).toMatchObject({ kind: 'apply', version: 6 });
    expect(step.kind === 'apply' && step.rows.map((r) => r.id)).toEqual(['a']);
  });

  it('a multi-row version is applied only once all of its rows are there (the queue row counts them)', () => {
    const d = new QueueDeltas();
    d.entry(entry('a', 6), at(5));
    d.entry(entry('b', 6), at(5));
    const step = d.queue(bump(6, 2), at(5));
    expect(step.kind === 'apply' && step.rows.map((r) => r.id).sort()).toEqual(['a', 'b']);

    const short = new QueueDeltas();
    short.entry(entry('a', 6), at(5)); // b never came
    expect(short.queue(bump(6, 2), at(5))).toEqual({ kind: 'reload' });
  });

  it('a row written twice in one version counts twice and is applied once, as last written', () => {
    const d = new QueueDeltas();
    d.entry({ queueId: Q, version: 6, row: row('a', 6, 'called') }, at(5));
    d.entry({ queueId: Q, version: 6, row: row('a', 6, 'in_service') }, at(5));
    const step = d.queue(bump(6, 2), at(5));
    expect(step.kind === 'apply' && step.rows).toEqual([row('a', 6, 'in_service')]);
  });

  it('a gap (a version skipped) reloads', () => {
    const d = new QueueDeltas();
    d.entry(entry('a', 7), at(5));
    expect(d.queue(bump(7, 1), at(5))).toEqual({ kind: 'reload' });
  });

  it('a duplicate (a version already shown, e.g. the screen’s own save) is ignored', () => {
    const d = new QueueDeltas();
    expect(d.entry(entry('a', 5), at(5))).toEqual({ kind: 'none' });
    expect(d.queue(bump(5, 1), at(5))).toEqual({ kind: 'none' });
    expect(d.entry(entry('a', 4), at(5))).toEqual({ kind: 'none' });
    expect(d.queue(bump(4, 1), at(5))).toEqual({ kind: 'none' });
    // and the same queue row delivered twice after it was applied
    d.entry(entry('b', 6), at(5));
    expect(d.queue(bump(6, 1), at(5)).kind).toBe('apply');
    expect(d.queue(bump(6, 1), at(6))).toEqual({ kind: 'none' });
  });

  it('out of order: a row of the version after next waits for its own turn and is applied then', () => {
    const d = new QueueDeltas();
    d.entry(entry('b', 7), at(5)); // arrives early
    d.entry(entry('a', 6), at(5));
    const six = d.queue(bump(6, 1), at(5));
    expect(six.kind === 'apply' && six.rows.map((r) => r.id)).toEqual(['a']);
    const seven = d.queue(bump(7, 1), at(6));
    expect(seven.kind === 'apply' && seven.rows.map((r) => r.id)).toEqual(['b']);
  });

  it('out of order: a queue row before its rows (rows missing when it arrives) reloads', () => {
    const d = new QueueDeltas();
    expect(d.queue(bump(6, 1), at(5))).toEqual({ kind: 'reload' });
    // the late row is of a version the reload covers: dropped once the screen shows it
    d.loaded(at(6));
    expect(d.entry(entry('a', 6), at(6))).toEqual({ kind: 'none' });
    expect(d.queue(bump(6, 1), at(6))).toEqual({ kind: 'none' });
  });

  it('rows written after the bump (the count grows on a second queue row) are applied as they come', () => {
    const d = new QueueDeltas();
    d.entry(entry('a', 6), at(5));
    expect(d.queue(bump(6, 1), at(5)).kind).toBe('apply');
    d.entry(entry('b', 6), at(6)); // written after the bump, in the same transaction
    const extra = d.queue(bump(6, 2), at(6));
    expect(extra.kind === 'apply' && extra.rows.map((r) => r.id)).toEqual(['b']);
    // a count that grew by more than what arrived reloads
    expect(d.queue(bump(6, 4), at(6))).toEqual({ kind: 'reload' });
  });

  it('an extra row that no count covers (a write that bumped nothing) makes the version reload', () => {
    const d = new QueueDeltas();
    d.entry(entry('x', 6), at(5)); // stamped 6 by a transaction that did not bump
    d.entry(entry('a', 6), at(5));
    expect(d.queue(bump(6, 1), at(5))).toEqual({ kind: 'reload' });
  });

  it('a row that could not be read, or has no version, reloads; so does a version with no entry rows', () => {
    const broken = new QueueDeltas();
    broken.entry({ queueId: Q, version: 6, row: null }, at(5));
    expect(broken.queue(bump(6, 1), at(5))).toEqual({ kind: 'reload' });

    expect(new QueueDeltas().entry(entry('a', null), at(5))).toEqual({ kind: 'reload' });
    expect(new QueueDeltas().queue(bump(6, 0), at(5))).toEqual({ kind: 'reload' }); // the day's end
    expect(new QueueDeltas().queue(bump(6), at(5))).toEqual({ kind: 'reload' }); // a server without counts
  });

  it('a pause or intake change (no entry rows, the new state in the queue row) is applied from the row', () => {
    const open: QueueControl = { pausedPractitionerIds: [], intakeClosedAt: null };
    const paused: QueueControl = { pausedPractitionerIds: ['dr-b'], intakeClosedAt: null };
    const closed: QueueControl = { pausedPractitionerIds: [], intakeClosedAt: '2026-12-01T10:00:00.000Z' };
    const shown = (control: QueueControl = open): ShownQueue => ({ ...at(5), control });
    expect(new QueueDeltas().queue({ ...bump(6, 0), control: paused }, shown())).toEqual({
      kind: 'apply',
      version: 6,
      rows: [],
      control: paused,
    });
    expect(new QueueDeltas().queue({ ...bump(6, 0), control: closed }, shown())).toMatchObject({
      kind: 'apply',
      control: closed,
    });
    // the same instant in the database's own form is no change
    const sameInstant = { ...closed, intakeClosedAt: '2026-12-01 10:00:00+00' };
    expect(new QueueDeltas().queue({ ...bump(6, 0), control: sameInstant }, shown(closed))).toEqual({
      kind: 'reload',
    });
    // nothing in the row changed (the day's end, an erasure): what changed is elsewhere → reload
    expect(new QueueDeltas().queue({ ...bump(6, 0), control: open }, shown())).toEqual({ kind: 'reload' });
    // a row without the state (anon, an older server), or a screen that does not know its own: reload
    expect(new QueueDeltas().queue(bump(6, 0), shown())).toEqual({ kind: 'reload' });
    expect(new QueueDeltas().queue({ ...bump(6, 0), control: paused }, at(5))).toEqual({ kind: 'reload' });
    // a gap is still a gap
    expect(new QueueDeltas().queue({ ...bump(7, 0), control: paused }, shown())).toEqual({ kind: 'reload' });
    // rows stamped with that version but counted 0 (a write that bumped nothing): not guessed
    const d = new QueueDeltas();
    d.entry(entry('x', 6), shown());
    expect(d.queue({ ...bump(6, 0), control: paused }, shown())).toEqual({ kind: 'reload' });
    // after a pause was applied, the next change applies on top of it
    const e = new QueueDeltas();
    expect(e.queue({ ...bump(6, 0), control: paused }, shown()).kind).toBe('apply');
    e.entry(entry('a', 7), shown(paused));
    expect(e.queue({ ...bump(7, 1), control: paused }, { ...at(6), control: paused })).toMatchObject({
      kind: 'apply',
      version: 7,
      control: paused,
    });
  });

  it('another day’s queue is ignored; nothing shown yet means nothing to apply', () => {
    const d = new QueueDeltas();
    expect(d.entry(entry('t', 3, 'queue-tomorrow'), at(5))).toEqual({ kind: 'none' });
    expect(d.queue(bump(3, 1, 'queue-tomorrow'), at(5))).toEqual({ kind: 'none' });
    expect(d.entry(entry('a', 6), null)).toEqual({ kind: 'none' });
    expect(d.queue(bump(6, 1), null)).toEqual({ kind: 'none' });
  });

  it('after a reload to a newer version, rows it covers are dropped and the next one still applies', () => {
    const d = new QueueDeltas();
    d.entry(entry('a', 6), at(5));
    d.entry(entry('b', 7), at(5));
    d.entry(entry('c', 8), at(5));
    d.loaded(at(7)); // a reload landed at 7
    expect(d.queue(bump(7, 1), at(7))).toEqual({ kind: 'none' });
    const eight = d.queue(bump(8, 1), at(7));
    expect(eight.kind === 'apply' && eight.rows.map((r) => r.id)).toEqual(['c']);
  });
});
