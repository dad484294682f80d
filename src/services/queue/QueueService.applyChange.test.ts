// QueueService.applyChange (issue 12): a change's entry rows, as Realtime delivers them, applied to the shown
// view with no request — positions recomputed — or refused (null: the screen reloads).
import { describe, expect, it } from 'vitest';
import { CLINIC, DR_A, queueFixture } from '../../../test/fixtures/queueFixture';
import type { QueueEntry } from './api';
import { EntryChangeRowSchema, entryInsertRow } from './repositories/queueEntryRow';
import { err, ok, type Result } from '../shared/Result';
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import { QueueService } from './QueueService';

const must = <T>(r: Result<T, AppError>): T => {
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
};
/** The entry as its queue_entries row would travel over Realtime. */
const rowOf = (e: QueueEntry, queueId: string, version: number) =>
  EntryChangeRowSchema.parse({ ...entryInsertRow(e), id: e.id, queue_id: queueId, queue_version: version });

describe('QueueService.applyChange', () => {
  it('applies another desk’s call to the shown view: the called patient leaves the line, the next moves up', async () => {
    const { service } = queueFixture();
    must(await service.addWalkIn(CLINIC, { patientName: 'Amina' }));
    must(await service.addWalkIn(CLINIC, { patientName: 'Youssef' }));
    const shown = must(await service.status(CLINIC));
    expect(shown.entries.map((e) => [e.patientName, e.position])).toEqual([
      ['Amina', 1],
      ['Youssef', 2],
    ]);
    const called = must(await service.callNext(CLINIC, { practitionerId: DR_A, room: 'Room 1' }));
    const amina = called.view.entries.find((e) => e.patientName === 'Amina');
    if (!amina) throw new Error('setup');
    const version = shown.queue.version + 1;

    const next = service.applyChange(shown, { version, rows: [rowOf(amina, shown.queue.id, version)] });
    expect(next?.queue.version).toBe(version);
    expect(next?.entries.map((e) => [e.patientName, e.status, e.position])).toEqual([
      ['Amina', 'called', null],
      ['Youssef', 'waiting', 1],
    ]);
    expect(next?.entries.find((e) => e.patientName === 'Amina')?.room).toBe('Room 1');
  });

  it('refuses what it cannot apply: an entry the view does not hold, another queue’s row, a change of the day’s status', async () => {
    const { service } = queueFixture();
    const added = must(await service.addWalkIn(CLINIC, { patientName: 'Amina' }));
    const empty = { ...added.view, entries: [] };
    const amina = added.view.entries[0];
    if (!amina) throw new Error('setup');
    const v = added.view.queue.version + 1;
    expect(
      service.applyChange(empty, { version: v, rows: [rowOf(amina, added.view.queue.id, v)] }),
    ).toBeNull();
    expect(
      service.applyChange(added.view, { version: v, rows: [rowOf(amina, 'other-queue', v)] }),
    ).toBeNull();
    expect(
      service.applyChange(added.view, {
        version: v,
        rows: [rowOf(amina, added.view.queue.id, v)],
        status: 'closed',
      }),
    ).toBeNull();
  });

  it('applies a pause or intake change the queue row carried: the shown day takes the new state, entries unchanged', async () => {
    const { service } = queueFixture();
    must(await service.addWalkIn(CLINIC, { patientName: 'Amina' }));
    const shown = must(await service.status(CLINIC));
    const v = shown.queue.version + 1;
    const paused = service.applyChange(shown, {
      version: v,
      rows: [],
      control: { pausedPractitionerIds: [DR_A], intakeClosedAt: '2026-12-01T10:00:00.000Z' },
    });
    expect(paused?.queue).toMatchObject({
      version: v,
      pausedPractitionerIds: [DR_A],
      intakeClosedAt: '2026-12-01T10:00:00.000Z',
    });
    expect(paused?.entries.map((e) => [e.patientName, e.status, e.position])).toEqual([
      ['Amina', 'waiting', 1],
    ]);
    // and back: resumed, intake reopened
    const resumed = paused
      ? service.applyChange(paused, {
          version: v + 1,
          rows: [],
          control: { pausedPractitionerIds: [], intakeClosedAt: null },
        })
      : null;
    expect(resumed?.queue).toMatchObject({ version: v + 1, pausedPractitionerIds: [], intakeClosedAt: null });
  });

  it('another desk’s new walk-in is applied with just its patient’s name looked up; no look-up, or a failed one, reloads', async () => {
    const { service, repo, bus, clock } = queueFixture();
    const shown = must(await service.status(CLINIC));
    const added = must(await service.addWalkIn(CLINIC, { patientName: 'Amina' }));
    const amina = added.view.entries[0];
    if (!amina) throw new Error('setup');
    const v = shown.queue.version + 1;
    const change = { version: v, rows: [rowOf(amina, shown.queue.id, v)] };
    const asked: string[][] = [];
    const withNames = new QueueService({
      repo,
      bus,
      clock,
      patientNames: {
        namesOf: async (_clinic, ids) => {
          asked.push([...ids]);
          return ok(new Map([[amina.patientId ?? '', 'Amina']]));
        },
      },
    });
    const next = await withNames.applyChangeWithNames(shown, change);
    expect(next?.entries.map((e) => [e.patientName, e.status, e.position])).toEqual([
      ['Amina', 'waiting', 1],
    ]);
    expect(asked).toEqual([[amina.patientId]]);
    // an entry the view holds needs no look-up
    asked.length = 0;
    expect(
      await withNames.applyChangeWithNames(added.view, {
        version: v + 1,
        rows: [rowOf(amina, shown.queue.id, v + 1)],
      }),
    ).not.toBeNull();
    expect(asked).toEqual([]);
    // no look-up port (the old screen), a failed look-up, a name not readable: null, the screen reloads
    expect(await service.applyChangeWithNames(shown, change)).toBeNull();
    const failing = new QueueService({
      repo,
      bus,
      clock,
      patientNames: { namesOf: async () => err(appError(ErrorCodes.AUTH_FORBIDDEN, 'no')) },
    });
    expect(await failing.applyChangeWithNames(shown, change)).toBeNull();
    const empty = new QueueService({
      repo,
      bus,
      clock,
      patientNames: { namesOf: async () => ok(new Map()) },
    });
    expect(await empty.applyChangeWithNames(shown, change)).toBeNull();
  });
});
