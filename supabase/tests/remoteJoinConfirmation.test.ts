/**
 * Issue 17, remote-join confirmation (20261210500002_remote_join_confirmation.sql): a patient who joins today's
 * queue remotely is owed exactly one `remote_join_confirmed` message with the visit's tracking link, through the
 * server's notification outbox (the join's WalkInAdded event is the outbox row) — never one for a walk-in the desk
 * adds, none for a patient who opted out (recorded as skipped), none once the visit is no longer waiting. On
 * PGlite and PostgreSQL with private.now() pinned (today 09:00 in the clinic); every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { renderTemplate } from '../functions/_shared/render';
import { DEFAULT_TEMPLATE_TEXTS } from '../../src/services/notification/models/DefaultTemplates';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import type { OutboxItem } from './helpers/outbox';
import { ACTORS, ID, PHONES } from './helpers/world';
import { as, openPinnedWorld, rolledBack } from './helpers/pinnedWorld';

interface Joined {
  entry_id: string;
  ticket: string;
  tracking_token: string;
}

describe.each(DB_KINDS)('remote join confirmation on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
    // the world's walk-in in clinic B arrived before the pinned 09:00 (see remoteJoin.test)
    await t.db.query(
      `update public.queue_entries set order_key = extract(epoch from private.now() - interval '30 minutes')
        where id = $1`,
      [ID.entryBclinicB],
    );
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const allowRemoteJoins = (tx: DbTx, arrivalMinutes: number | null = 30) =>
    as(tx, ACTORS.ownerB, `select public.set_remote_join($1::uuid, 5, $2::integer) as r`, [
      ID.clinicB,
      arrivalMinutes,
    ]);
  const joinB = (tx: DbTx) =>
    as<Joined>(tx, ACTORS.patientA, `select public.join_queue_remotely($1::uuid, 'Amina Remote') as r`, [
      ID.clinicB,
    ]);
  const outbox = (tx: DbTx) =>
    as<OutboxItem[]>(tx, ACTORS.service, `select public.notification_outbox(p_min_age_seconds => 0) as r`);
  const confirmations = async (tx: DbTx, entryId: string) =>
    (await outbox(tx)).filter((i) => i.entry_id === entryId && i.kind === 'remote_join_confirmed');
  const messages = async (tx: DbTx, entryId: string) =>
    (
      await tx.query<{ kind: string; status: string; skip_reason: string | null; recipient: string | null }>(
        `select kind::text, status::text, skip_reason::text, recipient from public.notifications where entry_id = $1`,
        [entryId],
      )
    ).rows;

  it('remote join: confirmation — a remote join owes exactly one confirmation with its tracking link; once sent, nothing more', async () => {
    await rolledBack(t.db, async (tx) => {
      await allowRemoteJoins(tx);
      const j = await joinB(tx);
      const items = await confirmations(tx, j.entry_id);
      expect(items).toHaveLength(1);
      const item = items[0]!;
      expect(item).toMatchObject({
        kind: 'remote_join_confirmed',
        idempotency_key: `remote_join_confirmed:${j.entry_id}`,
        phone: PHONES.patientA,
        language: 'fr',
        // the link the patient got when joining: the server renders the same one
        tracking_token: j.tracking_token,
        template: DEFAULT_TEMPLATE_TEXTS.remote_join_confirmed.fr,
      });
      // position 2: the clinic's walk-in arrived before; arrival window 30 min from 09:00
      expect(item.values).toMatchObject({
        patient_name: 'Amina Remote',
        clinic_name: 'Clinique B',
        ticket: j.ticket,
        position: '2',
        arrive_by: '09:30',
      });
      const text = renderTemplate(
        item.template!,
        { ...item.values, tracking_url: `https://clinic.example/t/${item.tracking_token}` },
        'fr',
      );
      expect(text).toContain(`Suivez votre tour ici : https://clinic.example/t/${j.tracking_token}`);
      expect(text).toContain(`Ticket ${j.ticket}, position 2`);
      expect(text).not.toMatch(/\{[a-z_]+\}/);

      // asked again before it is sent: still the one message under the same key (the key is unique per clinic)
      expect((await confirmations(tx, j.entry_id)).map((i) => i.idempotency_key)).toEqual([
        item.idempotency_key,
      ]);
      // the sweep sends it under its key; the next sweep owes nothing for this visit
      await tx.query(
        `insert into public.notifications (clinic_id, entry_id, kind, idempotency_key, status)
         values ($1, $2, 'remote_join_confirmed', $3, 'simulated')`,
        [ID.clinicB, j.entry_id, item.idempotency_key],
      );
      expect((await outbox(tx)).filter((i) => i.entry_id === j.entry_id)).toEqual([]);
      expect(await messages(tx, j.entry_id)).toHaveLength(1);
    });
  });

  it('no arrival window: {arrive_by} is empty', async () => {
    await rolledBack(t.db, async (tx) => {
      await allowRemoteJoins(tx, null);
      const j = await joinB(tx);
      const [item] = await confirmations(tx, j.entry_id);
      expect(item?.values['arrive_by']).toBeNull();
    });
  });

  it('a walk-in added at the desk owes no remote-join confirmation (nor any other message)', async () => {
    await rolledBack(t.db, async (tx) => {
      // entryB: a walk-in of clinic A, not joined remotely; the desk's WalkInAdded for it
      await tx.query(
        `insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload)
         values ($1, $2, $3, 'WalkInAdded', '{"ticket":"002","priority":"normal","practitionerId":null,"position":1}')`,
        [ID.queueA, ID.clinicA, ID.entryB],
      );
      expect((await outbox(tx)).filter((i) => i.entry_id === ID.entryB)).toEqual([]);
      expect(await messages(tx, ID.entryB)).toEqual([
        // the world's own queued fixture message, nothing new
        expect.objectContaining({ kind: 'your_turn', status: 'queued' }),
      ]);
    });
  });

  it('a patient who opted out gets no confirmation: the skip is recorded once, with no phone number', async () => {
    await rolledBack(t.db, async (tx) => {
      await allowRemoteJoins(tx);
      // patient A's record in clinic B, opted out (STOP) before joining
      await tx.query(
        `insert into public.patients (clinic_id, user_id, full_name, phone, sms_opt_out)
         values ($1, $2, 'Amina Remote', $3, true)`,
        [ID.clinicB, ACTORS.patientA.sub, PHONES.patientA],
      );
      const j = await joinB(tx);
      expect((await outbox(tx)).filter((i) => i.entry_id === j.entry_id)).toEqual([]);
      expect(await messages(tx, j.entry_id)).toEqual([
        { kind: 'remote_join_confirmed', status: 'skipped', skip_reason: 'opted_out', recipient: null },
      ]);
      expect((await outbox(tx)).filter((i) => i.entry_id === j.entry_id)).toEqual([]);
      expect(await messages(tx, j.entry_id)).toHaveLength(1);
    });
  });

  it('a visit no longer waiting when the sweep runs (cancelled, or already called) is not confirmed', async () => {
    for (const status of ['cancelled', 'called'] as const) {
      await rolledBack(t.db, async (tx) => {
        await allowRemoteJoins(tx);
        const j = await joinB(tx);
        await tx.query(`update public.queue_entries set status = $2 where id = $1`, [j.entry_id, status]);
        expect(await confirmations(tx, j.entry_id)).toEqual([]);
        expect(await messages(tx, j.entry_id)).toEqual([]);
      });
    }
  });

  it('the built-in texts are the app defaults with the tracking link, in ar, fr and en; the editor may use {arrive_by}', async () => {
    const { rows } = await t.db.query<{ language: 'ar' | 'fr' | 'en'; body: string }>(
      `select language::text, body from public.notification_templates
        where clinic_id is null and kind = 'remote_join_confirmed' order by language`,
    );
    expect(rows.map((r) => r.language)).toEqual(['ar', 'en', 'fr']);
    for (const r of rows) {
      expect(r.body).toBe(DEFAULT_TEMPLATE_TEXTS.remote_join_confirmed[r.language]);
      expect(r.body).toContain('{tracking_url}');
    }
    const vars = await t.db.query<{ ok: string[] }>(
      `select private.template_unknown_variables('remote_join_confirmed', 'Venez avant {arrive_by} {offer_url}') as ok`,
    );
    expect(vars.rows[0]!.ok).toEqual(['offer_url']);
  });
});
