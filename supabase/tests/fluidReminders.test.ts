/**
 * Issue 17 (session 15): a fluid visit's day-before reminder (migration 20261213400002, docs/fluid-queues.md).
 * A fluid visit has no time, so it owes no "N minutes before" reminder; it owes ONE `fluid_reminder` (its own
 * ar/fr/en texts, no time) from the clinic's `fluid_reminder_time` (default 18:00; session 17) the day before its day in the clinic until that day begins, if the clinic
 * sends reminders and the place was taken before that hour; keyed `fluid_reminder:<entry>:<day>` (sent → owed no
 * more), withdrawn by a cancel or a reschedule.
 *
 * PGlite and PostgreSQL; private.pinned_clock is set to fixed times of the visit's day (never the wall clock);
 * every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { renderTemplate } from '../functions/_shared/render';
import { DEFAULT_TEMPLATE_TEXTS } from '../../src/services/notification/models/DefaultTemplates';
import { DB_KINDS, openOutboxWorld } from './helpers/outbox';
import type { OutboxItem, OutboxWorld } from './helpers/outbox';
import { ACTORS, ID, PHONES } from './helpers/world';
import { fluidDay, setTypeMode } from './helpers/fluidWorld';
import { refused } from './helpers/pinnedWorld';

interface Booked {
  entry_id: string;
  day: string;
  tracking_token: string;
}

describe.each(DB_KINDS)('fluid visit reminders on %s', (kind) => {
  let w: OutboxWorld;
  beforeAll(async () => {
    w = await openOutboxWorld(kind); // the clock at today 08:00 in the clinic
  }, 600_000);
  afterAll(async () => {
    await w?.stop();
  });

  const outbox = async (tx: DbTx, entryId: string) =>
    (await w.as<OutboxItem[]>(tx, ACTORS.service, `select public.reminder_outbox() as r`)).filter(
      (i) => i.entry_id === entryId,
    );
  const setMinutes = (tx: DbTx, minutes: number | null) =>
    w.as(tx, ACTORS.ownerA, `select public.set_reminder_minutes_before($1, $2) as r`, [ID.clinicA, minutes]);
  /** patientB takes a place in clinic A's line `n` days ahead (type A2 made fluid). */
  const bookFluid = async (tx: DbTx, n: number) => {
    await setTypeMode(tx, ID.typeA2, 'fluid');
    return w.as<Booked>(
      tx,
      ACTORS.patientB,
      `select public.book_fluid_place($1::uuid, ${fluidDay(n)}, $2::uuid) as r`,
      [ID.clinicA, ID.typeA2],
    );
  };
  /** Pins private.now() at `hhmm` in the clinic, `daysBefore` days before the visit's own day. */
  const pinBeforeDay = (tx: DbTx, entryId: string, daysBefore: number, hhmm: string) =>
    tx.query(
      `update private.pinned_clock
          set at = (select ((q.day - $2::int) + $3::time) at time zone 'Africa/Casablanca'
                      from public.queue_entries e join public.queues q on q.id = e.queue_id where e.id = $1)`,
      [entryId, daysBefore, hhmm],
    );
  const markSent = (tx: DbTx, entryId: string, key: string) =>
    tx.query(
      `insert into public.notifications (clinic_id, entry_id, kind, idempotency_key, status)
       values ($1, $2, 'fluid_reminder', $3, 'simulated')`,
      [ID.clinicA, entryId, key],
    );

  it('owed once from 18:00 the day before, with no time in its text, until the day begins', async () => {
    await w.rolledBack(async (tx) => {
      await setMinutes(tx, 60);
      const b = await bookFluid(tx, 3);
      await pinBeforeDay(tx, b.entry_id, 1, '17:59');
      expect(await outbox(tx, b.entry_id)).toEqual([]);
      await pinBeforeDay(tx, b.entry_id, 1, '18:00');
      const items = await outbox(tx, b.entry_id);
      expect(items).toHaveLength(1);
      const item = items[0]!;
      const dd = b.day.slice(8, 10);
      const mm = b.day.slice(5, 7);
      expect(item).toMatchObject({
        kind: 'fluid_reminder',
        clinic_id: ID.clinicA,
        idempotency_key: `fluid_reminder:${b.entry_id}:${b.day}`,
        phone: PHONES.patientB,
        language: 'fr',
        tracking_token: b.tracking_token,
        skip_reason: null,
      });
      expect(item.values.appointment_time).toBe(`${dd}/${mm}`);
      expect(item.template).toBe(DEFAULT_TEMPLATE_TEXTS.fluid_reminder.fr);
      const values = {
        ...item.values,
        tracking_url: `https://c.example/t/${item.tracking_token}`,
        cancel_url: 'https://c.example/me',
      };
      for (const lang of ['fr', 'en', 'ar'] as const) {
        const text = renderTemplate(DEFAULT_TEMPLATE_TEXTS.fluid_reminder[lang], values, lang);
        expect(text).toContain(`${dd}/${mm}`);
        expect(text).not.toMatch(/\d{1,2}:\d{2}/); // no time of day
        expect(text).not.toMatch(/\{[a-z_]+\}/);
      }
      expect(renderTemplate(item.template!, values, 'fr')).toMatch(/est demain \(\d{2}\/\d{2}\)/);
      // sent: owed no more (a second sweep lists nothing)
      await markSent(tx, b.entry_id, item.idempotency_key);
      expect(await outbox(tx, b.entry_id)).toEqual([]);
      // not sent by 23:59, the day itself owes none any more
      await tx.query(`delete from public.notifications where idempotency_key = $1`, [item.idempotency_key]);
      await pinBeforeDay(tx, b.entry_id, 1, '23:59');
      expect((await outbox(tx, b.entry_id)).map((i) => i.kind)).toEqual(['fluid_reminder']);
      await pinBeforeDay(tx, b.entry_id, 0, '00:00');
      expect(await outbox(tx, b.entry_id)).toEqual([]);
    });
  });

  it("F6 fluid: the day-before reminder at the clinic's hour — owed from fluid_reminder_time, not before; the owner sets it, others cannot", async () => {
    await w.rolledBack(async (tx) => {
      await setMinutes(tx, 60);
      const b = await bookFluid(tx, 3);
      // As the admin screen saves (SupabaseClinicRepository.updateSettings): the whole rule set, read through
      // get_clinic_staff_settings, written back without reading the column (signed-in users may not select
      // clinics.settings since 20261216100001); the answer is the number of rows written.
      const SAVE = `with u as (update public.clinics set settings = $2::jsonb where id = $1 returning id)
                    select (select count(*) from u)::int as r`;
      const withTime = async (value: unknown) =>
        JSON.stringify({
          ...(
            await w.as<{ settings: Record<string, unknown> }>(
              tx,
              ACTORS.ownerA,
              'select public.get_clinic_staff_settings($1) as r',
              [ID.clinicA],
            )
          ).settings,
          fluid_reminder_time: value,
        });
      const storedTime = async () =>
        (
          await tx.query<{ t: string }>(
            `select settings ->> 'fluid_reminder_time' as t from public.clinics where id = $1`,
            [ID.clinicA],
          )
        ).rows[0]!.t;
      const setTime = async (actor: Parameters<typeof w.as>[1], value: unknown) =>
        w.as<number>(tx, actor, SAVE, [ID.clinicA, await withTime(value)]);
      // the clinic's owner, the normal way (RLS: owners and admins write their clinic's settings)
      expect(await setTime(ACTORS.ownerA, '20:30')).toBe(1);
      expect(await storedTime()).toBe('20:30');
      await pinBeforeDay(tx, b.entry_id, 1, '18:00'); // the old fixed hour: not yet
      expect(await outbox(tx, b.entry_id)).toEqual([]);
      await pinBeforeDay(tx, b.entry_id, 1, '20:29');
      expect(await outbox(tx, b.entry_id)).toEqual([]);
      await pinBeforeDay(tx, b.entry_id, 1, '20:30');
      expect((await outbox(tx, b.entry_id)).map((i) => i.idempotency_key)).toEqual([
        `fluid_reminder:${b.entry_id}:${b.day}`,
      ]);
      await pinBeforeDay(tx, b.entry_id, 0, '00:00'); // the day itself owes none
      expect(await outbox(tx, b.entry_id)).toEqual([]);
      // an earlier hour: 07:15 the day before
      expect(await setTime(ACTORS.ownerA, '07:15')).toBe(1);
      expect(await storedTime()).toBe('07:15');
      await pinBeforeDay(tx, b.entry_id, 1, '07:14');
      expect(await outbox(tx, b.entry_id)).toEqual([]);
      await pinBeforeDay(tx, b.entry_id, 1, '07:15');
      expect(await outbox(tx, b.entry_id)).toHaveLength(1);
      // a receptionist, another clinic's owner and a patient change nothing (RLS: no row)
      for (const actor of [ACTORS.recepA, ACTORS.ownerB, ACTORS.patientB])
        expect(await setTime(actor, '06:00')).toBe(0);
      // 00:00–23:59 only, as 'HH:MM': anything else is refused by the settings' check, nothing stored
      for (const bad of ['24:00', '7:30', '18:00:00', '18h00', '', 1800, null])
        expect(
          await refused(tx, ACTORS.ownerA, SAVE, [ID.clinicA, await withTime(bad)]),
          String(bad),
        ).toMatch(/^23514 /);
      expect(await storedTime()).toBe('07:15');
    });
  });

  it("F6 fluid: a place taken after the clinic's reminder hour the day before owes none; 00:00 is the whole day before", async () => {
    await w.rolledBack(async (tx) => {
      await setMinutes(tx, 60);
      await tx.query(
        `update public.clinics set settings = settings || '{"fluid_reminder_time": "12:00"}' where id = $1`,
        [ID.clinicA],
      );
      // at 13:00 today, a place in tomorrow's line: after the clinic's 12:00, so the confirmation was the message
      await tx.query(
        `update private.pinned_clock set at = (private.clinic_today('Africa/Casablanca') + time '13:00')
                                              at time zone 'Africa/Casablanca'`,
      );
      const late = await bookFluid(tx, 1);
      await pinBeforeDay(tx, late.entry_id, 1, '15:00');
      expect(await outbox(tx, late.entry_id)).toEqual([]);
    });
    await w.rolledBack(async (tx) => {
      await setMinutes(tx, 60);
      const b = await bookFluid(tx, 3);
      await tx.query(
        `update public.clinics set settings = settings || '{"fluid_reminder_time": "00:00"}' where id = $1`,
        [ID.clinicA],
      );
      await pinBeforeDay(tx, b.entry_id, 2, '23:59');
      expect(await outbox(tx, b.entry_id)).toEqual([]);
      await pinBeforeDay(tx, b.entry_id, 1, '00:00');
      expect(await outbox(tx, b.entry_id)).toHaveLength(1);
    });
  });

  it('never an N-minutes-before reminder: a fluid visit has no time, even with the longest window', async () => {
    await w.rolledBack(async (tx) => {
      await setMinutes(tx, 2880);
      const b = await bookFluid(tx, 3);
      for (const [before, hhmm] of [
        [2, '09:00'],
        [1, '10:00'],
        [1, '17:00'],
      ] as const) {
        await pinBeforeDay(tx, b.entry_id, before, hhmm);
        expect(await outbox(tx, b.entry_id)).toEqual([]);
      }
    });
  });

  it('withdrawn on cancel, none when the clinic sends no reminders, none for a place taken after 18:00 the day before', async () => {
    await w.rolledBack(async (tx) => {
      await setMinutes(tx, 60);
      const b = await bookFluid(tx, 3);
      await pinBeforeDay(tx, b.entry_id, 1, '19:00');
      expect(await outbox(tx, b.entry_id)).toHaveLength(1);
      await setMinutes(tx, null);
      expect(await outbox(tx, b.entry_id)).toEqual([]);
      await setMinutes(tx, 60);
      await tx.query(
        `update public.queue_entries set status = 'cancelled', cancelled_at = private.now() where id = $1`,
        [b.entry_id],
      );
      expect(await outbox(tx, b.entry_id)).toEqual([]);
    });
    await w.rolledBack(async (tx) => {
      await setMinutes(tx, 60);
      // at 18:30 today, a place in tomorrow's line: the confirmation just told it; no reminder follows
      await tx.query(
        `update private.pinned_clock set at = (private.clinic_today('Africa/Casablanca') + time '18:30')
                                              at time zone 'Africa/Casablanca'`,
      );
      const b = await bookFluid(tx, 1);
      await pinBeforeDay(tx, b.entry_id, 1, '20:00');
      expect(await outbox(tx, b.entry_id)).toEqual([]);
    });
  });

  it('none for a day the clinic no longer opens: closed after the place was taken, or its weekday without hours', async () => {
    await w.rolledBack(async (tx) => {
      await setMinutes(tx, 60);
      const b = await bookFluid(tx, 3);
      await pinBeforeDay(tx, b.entry_id, 1, '19:00');
      expect(await outbox(tx, b.entry_id)).toHaveLength(1);
      await tx.query(
        `insert into public.closed_dates (clinic_id, day, reason) values ($1, $2::date, 'Grève')`,
        [ID.clinicA, b.day],
      );
      expect(await outbox(tx, b.entry_id)).toEqual([]);
    });
    await w.rolledBack(async (tx) => {
      await setMinutes(tx, 60);
      const b = await bookFluid(tx, 3);
      await pinBeforeDay(tx, b.entry_id, 1, '19:00');
      await tx.query(
        `delete from public.working_hours where clinic_id = $1 and weekday = extract(dow from $2::date)`,
        [ID.clinicA, b.day],
      );
      expect(await outbox(tx, b.entry_id)).toEqual([]);
    });
  });

  it('a rescheduled visit: the old day owes nothing, the new day owes one reminder under the new visit', async () => {
    await w.rolledBack(async (tx) => {
      await setMinutes(tx, 60);
      const b = await bookFluid(tx, 3);
      const moved = await w.as<Booked & { rescheduled_from: string }>(
        tx,
        ACTORS.patientB,
        `select public.reschedule_fluid_place($1::uuid, ${fluidDay(4)}) as r`,
        [b.entry_id],
      );
      expect(moved.rescheduled_from).toBe(b.entry_id);
      await pinBeforeDay(tx, b.entry_id, 1, '18:00');
      expect(await outbox(tx, b.entry_id)).toEqual([]);
      expect(await outbox(tx, moved.entry_id)).toEqual([]); // a day early for the new day
      await pinBeforeDay(tx, moved.entry_id, 1, '18:00');
      expect((await outbox(tx, moved.entry_id)).map((i) => i.idempotency_key)).toEqual([
        `fluid_reminder:${moved.entry_id}:${moved.day}`,
      ]);
    });
  });
});
