/** The notification pipeline's RPCs (recipient/opt-out, attempts, delivery receipts, two-way SMS, outbox),
 * on PGlite and PostgreSQL. Every call is rolled back. */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import { failure } from './helpers/sql';
import type { Actor } from './helpers/sql';
import { ACTORS, ID, PHONES, PIN_AT_FIXTURE_MESSAGE, TOKENS } from './helpers/world';
import { mustSucceed, outcomeCode, rpcAs, useWorldDb } from './helpers/worldDb';
import type { RpcOutcome } from './helpers/worldDb';

describe.each(DB_KINDS)('notification RPCs on %s', (kind) => {
  const t = useWorldDb(kind);

  const call = <T = Record<string, unknown>>(
    actor: Actor,
    fn: string,
    args: Record<string, unknown>,
    opts: { setup?: string; after?: string } = {},
  ): Promise<RpcOutcome<T>> => rpcAs<T>(t.db, actor, fn, args, opts);
  const value = <T>(o: RpcOutcome<T>) => mustSucceed(o);
  const code = outcomeCode;

  describe('notification_recipient', () => {
    it("an entry's patient: phone, language (patient's, else the clinic's) and opt-out", async () => {
      const v = value(
        await call(ACTORS.service, 'notification_recipient', {
          p_clinic_id: ID.clinicA,
          p_entry_id: ID.entryB,
        }),
      );
      expect(v.r).toEqual({
        patient_id: ID.patientRecB,
        phone: PHONES.patientB,
        sender: null,
        language: 'fr',
        opted_out: false,
        // the server's routing (issue 20): SMS, no address — and nothing skipped (email18: the route's reason)
        channel: 'sms',
        email: null,
        skip_reason: null,
      });
      const out = value(
        await call(
          ACTORS.service,
          'notification_recipient',
          { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB },
          {
            setup: `update public.patients set sms_opt_out = true, preferred_language = 'ar' where id = '${ID.patientRecB}'`,
          },
        ),
      );
      expect(out.r).toMatchObject({ language: 'ar', opted_out: true, channel: null });
    });

    it('by phone: opted out when a record of this clinic with that phone opted out; other clinics do not count', async () => {
      const setup = `update public.patients set sms_opt_out = true where id = '${ID.walkInB}'`; // clinic B, patient A's phone
      const a = value(
        await call(
          ACTORS.service,
          'notification_recipient',
          { p_clinic_id: ID.clinicA, p_phone: PHONES.patientA },
          { setup },
        ),
      );
      expect(a.r).toMatchObject({ phone: PHONES.patientA, opted_out: false });
      const b = value(
        await call(
          ACTORS.service,
          'notification_recipient',
          { p_clinic_id: ID.clinicB, p_phone: PHONES.patientA },
          { setup },
        ),
      );
      expect(b.r).toMatchObject({ opted_out: true });
    });

    it('with a visit and another phone: opted out when either number opted out', async () => {
      const v = value(
        await call(
          ACTORS.service,
          'notification_recipient',
          { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB, p_phone: '+212600000099' },
          {
            setup: `update public.patients set sms_opt_out = true where id = '${ID.walkInA}'`, // +212600000099 in clinic A
          },
        ),
      );
      expect(v.r).toMatchObject({ phone: PHONES.patientB, opted_out: true });
    });

    it("the clinic's own sender comes with the recipient once the operator approved it; only a valid sender can be stored", async () => {
      const set = (v: string) => `update public.clinics set sms_sender = '${v}' where id = '${ID.clinicA}'`;
      const approved = (v: string) =>
        `update public.clinics set sms_sender = '${v}', sms_sender_approved = '${v}' where id = '${ID.clinicA}'`;
      for (const ok of ['CABINET', 'Dr Anfa 2', '+212522000111', 'MG' + 'a'.repeat(32)]) {
        const args = { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB };
        // requested by the clinic, not approved: the platform's sender (null)
        const pending = value(await call(ACTORS.service, 'notification_recipient', args, { setup: set(ok) }));
        expect(pending.r).toMatchObject({ sender: null });
        const v = value(await call(ACTORS.service, 'notification_recipient', args, { setup: approved(ok) }));
        expect(v.r).toMatchObject({ sender: ok });
        // changed after the approval: not the approved value any more
        const changed = value(
          await call(ACTORS.service, 'notification_recipient', args, {
            setup: `${approved(ok)}; ${set('OTHER')}`,
          }),
        );
        expect(changed.r).toMatchObject({ sender: null });
      }
      for (const bad of ['12345', 'TWELVE CHARS', '+0522', ' CABINET', 'cabinet!']) {
        expect((await failure(t.db.query(set(bad)))).code, bad).toBe('23514');
      }
    });

    it("refuses another clinic's visit and a bad phone; only the server may ask (secmisc18)", async () => {
      expect(
        code(
          await call(ACTORS.service, 'notification_recipient', {
            p_clinic_id: ID.clinicB,
            p_entry_id: ID.entryB,
          }),
        ),
      ).toBe('PT404 NOT_FOUND');
      expect(
        code(
          await call(ACTORS.service, 'notification_recipient', {
            p_clinic_id: ID.clinicA,
            p_phone: '0600000001',
          }),
        ),
      ).toBe('PT422 VALIDATION.FAILED');
      // a visit's phone, email and route are the sender's to read (20261217300001): staff of the clinic too
      for (const actor of [ACTORS.recepA, ACTORS.ownerA, ACTORS.ownerB, ACTORS.patientA, ACTORS.anon])
        expect(
          code(
            await call(actor, 'notification_recipient', {
              p_clinic_id: ID.clinicA,
              p_entry_id: ID.entryB,
            }),
          ),
        ).toMatch(/^42501 /);
    });
  });

  describe('attempts and delivery receipts', () => {
    it('a failed try counts an attempt while queued; settle counts the last one', async () => {
      const v = value(
        await call(
          ACTORS.service,
          'notification_record_attempt',
          { p_notification_id: ID.notificationA, p_error: 'HTTP 500' },
          {
            after: `select attempts, error from public.notifications where id = '${ID.notificationA}'`,
          },
        ),
      );
      expect(v.r).toBe(1);
      expect(v.after).toEqual([{ attempts: 1, error: 'HTTP 500' }]);
      const settled = `update public.notifications set status = 'sent', reserved = false where id = '${ID.notificationA}'`;
      expect(
        code(
          await call(
            ACTORS.service,
            'notification_record_attempt',
            { p_notification_id: ID.notificationA },
            { setup: settled },
          ),
        ),
      ).toBe('PT409 VALIDATION.FAILED');
    });

    it('sent → delivered / failed by provider id; never back from delivered; unknown id → null', async () => {
      const sent = `update public.notifications set status = 'sent', reserved = false, provider_id = 'SMabc' where id = '${ID.notificationA}'`;
      const after = `select status, error from public.notifications where id = '${ID.notificationA}'`;
      const d = value(
        await call(
          ACTORS.service,
          'sms_delivery_update',
          { p_provider_id: 'SMabc', p_status: 'delivered' },
          { setup: sent, after },
        ),
      );
      // whatsapp12 (20261209500002): the receipt also names the message's channel and what a fallback needs;
      // the text to resend comes only for a WhatsApp message that just failed, never for an SMS
      expect(d.r).toMatchObject({
        notification_id: ID.notificationA,
        status: 'delivered',
        changed: true,
        channel: 'sms',
        body: null,
      });
      expect(Object.keys(d.r as object).sort()).toEqual([
        'body',
        'changed',
        'channel',
        'clinic_id',
        'entry_id',
        'idempotency_key',
        'kind',
        'notification_id',
        'status',
      ]);
      expect(d.after).toEqual([{ status: 'delivered', error: null }]);
      const f = value(
        await call(
          ACTORS.service,
          'sms_delivery_update',
          { p_provider_id: 'SMabc', p_status: 'failed', p_error: '30003' },
          { setup: sent, after },
        ),
      );
      expect(f.after).toEqual([{ status: 'failed', error: '30003' }]);
      const late = value(
        await call(
          ACTORS.service,
          'sms_delivery_update',
          { p_provider_id: 'SMabc', p_status: 'failed' },
          {
            setup: `${sent}; update public.notifications set status = 'delivered' where id = '${ID.notificationA}'`,
            after,
          },
        ),
      );
      expect(late.r).toMatchObject({ status: 'delivered', changed: false });
      expect(
        value(
          await call(ACTORS.service, 'sms_delivery_update', {
            p_provider_id: 'SMnope',
            p_status: 'delivered',
          }),
        ).r,
      ).toBeNull();
      expect(
        code(
          await call(ACTORS.ownerA, 'sms_delivery_update', { p_provider_id: 'SMabc', p_status: 'delivered' }),
        ),
      ).toBe('42501 permission denied for function sms_delivery_update');
    });
  });

  describe('sms_inbound_apply', () => {
    const entryState = (id: string) =>
      `select e.status, e.running_late_at is not null as late, e.cancel_reason, q.version,
              (select array_agg(type order by id) from public.queue_events where entry_id = e.id) as events
         from public.queue_entries e join public.queues q on q.id = e.queue_id where e.id = '${id}'`;

    it("late: marks the sender's visit today late, logs PatientRunningLate (sms) and bumps the version", async () => {
      const v = value(
        await call(
          ACTORS.service,
          'sms_inbound_apply',
          { p_from: PHONES.patientB, p_intent: 'late' },
          { after: entryState(ID.entryB) },
        ),
      );
      expect(v.r).toMatchObject({
        intent: 'late',
        applied: true,
        ticket: 'A-002',
        entry_id: ID.entryB,
        clinic_name: 'Clinique A',
        language: 'fr',
      });
      expect(v.after[0]).toMatchObject({
        status: 'waiting',
        late: true,
        version: 1,
        events: ['PatientCheckedIn', 'PatientRunningLate'],
      });
    });

    // clinic A texts from its own approved number (patient A also has a visit today at clinic B)
    const OWN_A = '+212522000111';
    const ownNumberA = `update public.clinics set sms_sender = '${OWN_A}', sms_sender_approved = '${OWN_A}'
                         where id = '${ID.clinicA}';`;
    const liveVisits = `select e.id, e.status from public.queue_entries e
                         where e.id in ('${ID.entryA}', '${ID.entryBclinicB}') order by e.id`;

    it("cancel: cancels the visit today (not tomorrow's), by patient via sms — the outbox owes nothing for it", async () => {
      const v = value(
        await call(
          ACTORS.service,
          'sms_inbound_apply',
          { p_from: PHONES.patientA, p_intent: 'cancel', p_to: OWN_A },
          {
            setup: ownNumberA,
            after: `${entryState(ID.entryA)};`,
          },
        ),
      );
      expect(v.r).toMatchObject({ applied: true, entry_id: ID.entryA });
      expect(v.after[0]).toMatchObject({
        status: 'cancelled',
        cancel_reason: 'SMS',
        events: ['EntryCancelled'],
      });
      const o = value(
        await call(
          ACTORS.service,
          'notification_outbox',
          { p_min_age_seconds: 0 },
          {
            setup: `${ownNumberA}
                  select set_config('request.jwt.claims', '{"role":"service_role"}', true);
                  select public.sms_inbound_apply('${PHONES.patientA}', 'cancel', '${OWN_A}')`,
          },
        ),
      );
      expect(o.r).toEqual([]);
    });

    it("a reply to a clinic's own number acts on that clinic's visit only — never another clinic's with the phone", async () => {
      // a self-made clinic (B) registered the phone and booked it today: before, ANNULER sent to clinic A's number
      // could land on either clinic's visit (whichever sorted first), whatever number was written to
      for (const intent of ['cancel', 'late'] as const) {
        const v = value(
          await call(
            ACTORS.service,
            'sms_inbound_apply',
            { p_from: PHONES.patientA, p_intent: intent, p_to: OWN_A },
            {
              setup: ownNumberA,
              after: liveVisits,
            },
          ),
        );
        expect(v.r).toMatchObject({ applied: true, entry_id: ID.entryA, clinic_name: 'Clinique A' });
        expect(v.after.find((r) => r.id === ID.entryBclinicB)).toMatchObject({ status: 'waiting' });
      }
      // STOP to clinic A's number opts out clinic A's record only
      const stop = value(
        await call(
          ACTORS.service,
          'sms_inbound_apply',
          { p_from: PHONES.patientA, p_intent: 'stop', p_to: OWN_A },
          {
            setup: ownNumberA,
            after: `select clinic_id, sms_opt_out from public.patients where phone = '${PHONES.patientA}'`,
          },
        ),
      );
      expect(stop.r).toMatchObject({ applied: true, opted_out: 1 });
      expect(stop.after).toEqual(
        expect.arrayContaining([
          { clinic_id: ID.clinicA, sms_opt_out: true },
          { clinic_id: ID.clinicB, sms_opt_out: false },
        ]),
      );
    });

    it('the shared sender with visits today at several clinics: nothing is guessed, nothing changes', async () => {
      // clinic B typed clinic A's number as its sender without the operator's approval: it counts for nothing
      for (const p_to of [null, '+212522000999', OWN_A]) {
        const v = value(
          await call(
            ACTORS.service,
            'sms_inbound_apply',
            { p_from: PHONES.patientA, p_intent: 'cancel', p_to },
            {
              setup: `update public.clinics set sms_sender = '${OWN_A}' where id = '${ID.clinicB}';`,
              after: liveVisits,
            },
          ),
        );
        expect(v.r).toMatchObject({ applied: false, reason: 'ambiguous', entry_id: null, clinic_name: null });
        expect(v.after.map((r) => r.status)).toEqual(['scheduled', 'waiting']);
      }
      // with its own number, clinic A is no longer on the shared sender: a reply there is clinic B's visit's
      const shared = value(
        await call(
          ACTORS.service,
          'sms_inbound_apply',
          { p_from: PHONES.patientA, p_intent: 'late', p_to: '+212522000999' },
          { setup: ownNumberA },
        ),
      );
      expect(shared.r).toMatchObject({
        applied: true,
        entry_id: ID.entryBclinicB,
        clinic_name: 'Clinique B',
      });
      expect(
        code(
          await call(ACTORS.service, 'sms_inbound_apply', {
            p_from: PHONES.patientA,
            p_intent: 'late',
            p_to: 'QueueMed',
          }),
        ),
      ).toBe('PT422 VALIDATION.FAILED');
    });

    it('stop: opts every record with that phone out (both clinics); unknown sender → not applied', async () => {
      const v = value(
        await call(
          ACTORS.service,
          'sms_inbound_apply',
          { p_from: PHONES.patientA, p_intent: 'stop' },
          {
            after: `select clinic_id, sms_opt_out from public.patients where phone = '${PHONES.patientA}' order by clinic_id`,
          },
        ),
      );
      expect(v.r).toMatchObject({ intent: 'stop', applied: true, opted_out: 2 });
      expect(v.after.every((r) => r.sms_opt_out === true)).toBe(true);
      const none = value(
        await call(ACTORS.service, 'sms_inbound_apply', { p_from: '+212699999999', p_intent: 'late' }),
      );
      expect(none.r).toMatchObject({ applied: false, reason: 'no_visit_today' });
      expect(
        code(await call(ACTORS.service, 'sms_inbound_apply', { p_from: PHONES.patientA, p_intent: 'dance' })),
      ).toBe('PT422 VALIDATION.FAILED');
    });
  });

  describe('notification_outbox', () => {
    const called = (correlation: string) =>
      `insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, correlation_id)
       values ('${ID.queueA}', '${ID.clinicA}', '${ID.entryB}', 'PatientCalled', '{"ticket":"A-002","room":"Salle 2"}', '${correlation}')`;
    const corr = 'd0000000-0000-4000-8000-000000000001';

    it('returns what a PatientCalled owes, rendered from the clinic template, and marks the events that owe nothing', async () => {
      const v = value(
        await call(
          ACTORS.service,
          'notification_outbox',
          { p_min_age_seconds: 0 },
          {
            setup: called(corr),
            after: `select type, notified_at is not null as done from public.queue_events where clinic_id = '${ID.clinicA}' order by id`,
          },
        ),
      );
      expect(v.r).toEqual([
        expect.objectContaining({
          clinic_id: ID.clinicA,
          entry_id: ID.entryB,
          kind: 'your_turn',
          idempotency_key: `your_turn:${ID.entryB}:${corr}`,
          phone: PHONES.patientB,
          language: 'fr',
          template: 'Ticket {ticket}, salle {room}',
          values: expect.objectContaining({
            ticket: 'A-002',
            room: 'Salle 2',
            patient_name: 'Bruno Patient',
            clinic_name: 'Clinique A',
          }),
        }),
      ]);
      // PatientCheckedIn owes nothing → marked; PatientCalled stays until the sweep sent it
      expect(v.after).toEqual([
        { type: 'PatientCheckedIn', done: true },
        { type: 'PatientCalled', done: false },
      ]);
    });

    it('an event whose message exists (the browser sent it), an opted-out patient or a young event is not returned', async () => {
      const sentByBrowser = `insert into public.notifications (clinic_id, kind, idempotency_key, status)
                             values ('${ID.clinicA}', 'your_turn', 'your_turn:${ID.entryB}:${corr}', 'sent')`;
      const done = `select notified_at is not null as done from public.queue_events where type = 'PatientCalled'`;
      const a = value(
        await call(
          ACTORS.service,
          'notification_outbox',
          { p_min_age_seconds: 0 },
          { setup: `${called(corr)}; ${sentByBrowser}`, after: done },
        ),
      );
      expect(a.r).toEqual([]);
      expect(a.after).toEqual([{ done: true }]);
      const b = value(
        await call(
          ACTORS.service,
          'notification_outbox',
          { p_min_age_seconds: 0 },
          {
            setup: `${called(corr)}; update public.patients set sms_opt_out = true where id = '${ID.patientRecB}'`,
            after: done,
          },
        ),
      );
      expect(b.r).toEqual([]);
      expect(b.after).toEqual([{ done: true }]);
      const young = value(
        await call(
          ACTORS.service,
          'notification_outbox',
          { p_min_age_seconds: 60 },
          { setup: called(corr), after: done },
        ),
      );
      expect(young.r).toEqual([]);
      expect(young.after).toEqual([{ done: false }]);
    });

    it('a your_turn the browser recorded for that visit after the event counts as sent, whatever its key', async () => {
      const browser = `insert into public.notifications (clinic_id, entry_id, kind, idempotency_key, status)
                       values ('${ID.clinicA}', '${ID.entryB}', 'your_turn', 'some-other-key-format', 'sent')`;
      const v = value(
        await call(
          ACTORS.service,
          'notification_outbox',
          { p_min_age_seconds: 0 },
          { setup: `${called(corr)}; ${browser}` },
        ),
      );
      expect(v.r).toEqual([]);
      const older = `insert into public.notifications (clinic_id, entry_id, kind, idempotency_key, status, created_at)
                     values ('${ID.clinicA}', '${ID.entryB}', 'your_turn', 'yesterday', 'sent', now() - interval '1 day')`;
      const w = value(
        await call(
          ACTORS.service,
          'notification_outbox',
          { p_min_age_seconds: 0 },
          { setup: `${older}; ${called(corr)}` },
        ),
      );
      expect(w.r).toHaveLength(1);
    });

    it('only the service role', async () => {
      expect(code(await call(ACTORS.ownerA, 'notification_outbox', {}))).toBe(
        '42501 permission denied for function notification_outbox',
      );
    });
  });
  it('once-per-visit messages (cancelled, no_show) use <kind>:<entry> — the key the browser uses too', async () => {
    const ev = (type: string, payload: string) =>
      `insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, correlation_id)
       values ('${ID.queueA}', '${ID.clinicA}', '${ID.entryB}', '${type}', '${payload}', gen_random_uuid())`;
    const v = value(
      await call(
        ACTORS.service,
        'notification_outbox',
        { p_min_age_seconds: 0 },
        {
          setup: `${ev('EntryCancelled', '{"ticket":"A-002"}')}; ${ev('GraceExpired', '{"ticket":"A-002"}')}`,
        },
      ),
    );
    expect(
      (v.r as unknown as { kind: string; idempotency_key: string }[]).map((i) => [i.kind, i.idempotency_key]),
    ).toEqual([
      ['cancelled', `cancelled:${ID.entryB}`],
      ['no_show', `no_show:${ID.entryB}`],
    ]);
  });

  it('notification_close_interrupted: a queued message older than the limit → failed, reservation released; newer ones untouched', async () => {
    const v = value(
      await call(
        ACTORS.service,
        'notification_close_interrupted',
        { p_older_than_seconds: 600 },
        {
          // the database's clock, pinned: the message is 11 minutes old by private.now(), whatever the wall clock
          setup: `${PIN_AT_FIXTURE_MESSAGE};
                alter table public.notifications disable trigger notifications_touch;
                update public.notifications set updated_at = private.now() - interval '11 minutes' where id = '${ID.notificationA}';
                alter table public.notifications enable trigger notifications_touch;`,
          after: `select n.status, n.reserved, n.error like 'interrupted:%' as interrupted, b.reserved_count
                  from public.notifications n join public.sms_budgets b on b.clinic_id = n.clinic_id and b.month = n.budget_month
                 where n.id = '${ID.notificationA}'`,
        },
      ),
    );
    expect(v.r).toBe(1);
    expect(v.after).toEqual([{ status: 'failed', reserved: false, interrupted: true, reserved_count: 0 }]);
    // the world's message, as the world left it, is not stale (the clock pinned when it was written)
    expect(
      value(
        await call(ACTORS.service, 'notification_close_interrupted', {}, { setup: PIN_AT_FIXTURE_MESSAGE }),
      ).r,
    ).toBe(0);
  });

  describe('notification_prepare (send-sms by reference)', () => {
    const called = (payload: string, corr = '0b6c2f1e-8a3d-4c1b-9f7e-2d5a6b7c8d9e') =>
      `insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, correlation_id)
       values ('${ID.queueA}', '${ID.clinicA}', '${ID.entryB}', 'PatientCalled', '${payload}', '${corr}')`;

    it("a logged call owes your_turn: the outbox's key, the clinic's template, the visit's ticket, the event's room", async () => {
      const v = value(
        await call(
          ACTORS.recepA,
          'notification_prepare',
          { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB, p_kind: 'your_turn' },
          { setup: called('{"ticket":"FAKE-999","room":"Salle 2"}') },
        ),
      );
      expect(v.r).toMatchObject({
        kind: 'your_turn',
        entry_id: ID.entryB,
        idempotency_key: `your_turn:${ID.entryB}:0b6c2f1e-8a3d-4c1b-9f7e-2d5a6b7c8d9e`,
        language: 'fr',
        template: 'Ticket {ticket}, salle {room}', // clinic A's own (world.ts)
        values: {
          ticket: 'A-002',
          room: 'Salle 2',
          patient_name: 'Bruno Patient',
          clinic_name: 'Clinique A',
        },
        tracking_token_ok: false,
      });
    });

    it('the event is picked by correlation id; another correlation id owes nothing (404)', async () => {
      const setup = called('{"room":"1"}');
      const args = { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB, p_kind: 'your_turn' };
      expect(
        code(
          await call(
            ACTORS.recepA,
            'notification_prepare',
            { ...args, p_correlation_id: '0b6c2f1e-8a3d-4c1b-9f7e-2d5a6b7c8d9e' },
            { setup },
          ),
        ),
      ).toBe('ok');
      expect(
        code(
          await call(
            ACTORS.recepA,
            'notification_prepare',
            { ...args, p_correlation_id: '11111111-2222-4333-8444-555555555555' },
            { setup },
          ),
        ),
      ).toBe('PT404 NOT_FOUND');
    });

    it('only a short room and small numbers come from the event payload', async () => {
      const v = value(
        await call(
          ACTORS.recepA,
          'notification_prepare',
          { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB, p_kind: 'your_turn' },
          {
            setup: called(
              `{"room":"${'R'.repeat(60)}","position":"call +212600000000","graceMinutes":"9999"}`,
            ),
          },
        ),
      );
      const values = (v.r as { values: Record<string, string | null> }).values;
      expect(values.room).toBe('R'.repeat(40));
      expect(values.position).toBeUndefined();
      expect(values.grace_minutes).toBe('10'); // the clinic's setting, not the payload's
    });

    it('booking_confirmed: appointment time in the clinic zone; the tracking token is checked against the visit', async () => {
      const args = { p_clinic_id: ID.clinicA, p_entry_id: ID.entryA1, p_kind: 'booking_confirmed' };
      const wrong = value(
        await call(ACTORS.recepA, 'notification_prepare', { ...args, p_tracking_token: 'x'.repeat(20) }),
      );
      expect(wrong.r).toMatchObject({
        idempotency_key: `booking_confirmed:${ID.entryA1}`,
        tracking_token_ok: false,
      });
      expect((wrong.r as { values: Record<string, string> }).values.appointment_time).toMatch(
        /^\d{2}\/\d{2} 11:00$/,
      );
      const right = value(
        await call(ACTORS.recepA, 'notification_prepare', {
          p_clinic_id: ID.clinicA,
          p_entry_id: ID.entryA,
          p_kind: 'booking_confirmed',
          p_tracking_token: TOKENS.trackingA,
        }),
      );
      expect(right.r).toMatchObject({ tracking_token_ok: true });
    });
  });

  describe('the visit link the server renders (issues 15.3, 15.4)', () => {
    const almost = { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB, p_kind: 'almost_turn', p_position: 1 };
    // a visit booked since links are derived (the guard keeps the hash from changing later)
    const derived = `alter table public.queue_entries disable trigger queue_entries_guard;
      update public.queue_entries
        set tracking_token_hash = private.hash_token(private.entry_link_token(id)) where id = '${ID.entryB}';
      alter table public.queue_entries enable trigger queue_entries_guard`;

    it('almost_turn carries the link token of a visit booked with a derived link; the tracker finds the visit by it', async () => {
      const v = value(
        await call(ACTORS.recepA, 'notification_prepare', almost, {
          setup: derived,
          after: `select public.get_visit_status(private.entry_link_token('${ID.entryB}')) ->> 'ticket' as ticket`,
        }),
      );
      const token = (v.r as { tracking_token: string | null }).tracking_token;
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      expect(v.after).toEqual([{ ticket: 'A-002' }]);
    });

    it('a visit whose token was random (booked before) has no link to render; a finished visit neither', async () => {
      const before = value(await call(ACTORS.recepA, 'notification_prepare', almost));
      expect((before.r as { tracking_token: string | null }).tracking_token).toBeNull();
      const done = value(
        await call(
          ACTORS.recepA,
          'notification_prepare',
          { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB, p_kind: 'your_turn' },
          {
            setup: `${derived.replace(
              'where id',
              ", status = 'completed', called_at = now(), started_at = now(), finished_at = now() where id",
            )};
              insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, correlation_id)
              values ('${ID.queueA}', '${ID.clinicA}', '${ID.entryB}', 'PatientCalled', '{"room":"1"}', gen_random_uuid())`,
          },
        ),
      );
      expect((done.r as { tracking_token: string | null }).tracking_token).toBeNull();
    });

    it('get_my_visits: the caller’s own visits only, with the live link of a visit whose link the server can render', async () => {
      const mine = value(await call(ACTORS.patientB, 'get_my_visits', {}, { setup: derived }));
      const visits = mine.r as unknown as { entry_id: string; tracking_token: string | null }[];
      expect(visits.map((x) => x.entry_id)).toContain(ID.entryB);
      expect(visits.find((x) => x.entry_id === ID.entryB)?.tracking_token).toMatch(/^[0-9a-f]{64}$/);
      const theirs = value(await call(ACTORS.patientA, 'get_my_visits', {}, { setup: derived }));
      expect((theirs.r as unknown as { entry_id: string }[]).map((x) => x.entry_id)).not.toContain(ID.entryB);
      expect(code(await call(ACTORS.anon, 'get_my_visits', {}))).toMatch(/^42501/);
    });
  });

  describe('staff_invitation_delivery', () => {
    const args = { p_invitation_id: ID.invitationA, p_token: TOKENS.invitationA };
    it('an admin with the right token gets what the link needs', async () => {
      const v = value(await call(ACTORS.ownerA, 'staff_invitation_delivery', args));
      expect(v.r).toMatchObject({
        invitation_id: ID.invitationA,
        clinic_id: ID.clinicA,
        clinic_name: 'Clinique A',
        language: 'fr',
        email: 'patient.b@test.ma',
        phone: null,
      });
    });
    it('wrong token, no longer pending, not an admin → refused', async () => {
      expect(
        code(await call(ACTORS.ownerA, 'staff_invitation_delivery', { ...args, p_token: 'guess' })),
      ).toBe('PT403 AUTH.FORBIDDEN');
      const revoked = `update public.staff_invitations set revoked_at = now() where id = '${ID.invitationA}'`;
      expect(code(await call(ACTORS.ownerA, 'staff_invitation_delivery', args, { setup: revoked }))).toBe(
        'PT409 VALIDATION.FAILED',
      );
      expect(code(await call(ACTORS.recepA, 'staff_invitation_delivery', args))).toBe('PT403 AUTH.FORBIDDEN');
      expect(code(await call(ACTORS.ownerB, 'staff_invitation_delivery', args))).toBe('PT403 AUTH.FORBIDDEN');
    });
  });
});
