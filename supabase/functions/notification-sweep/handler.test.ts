// Deno tests of the outbox sweep against a scripted PostgREST and a recording Twilio.
import assert from 'node:assert/strict';
import { CLINIC, ENTRY, SERVICE, makeRuntime, okRpc, post } from '../_test/fakes.ts';
import { renderTemplate } from '../_shared/render.ts';
import { rpcFor, sendDeps } from '../_shared/context.ts';
import type { Mailer } from '../_shared/email.ts';
import { createSweepHandler, sendOwnerNotice } from './handler.ts';

const item = (n: number) => ({
  event_id: n,
  clinic_id: CLINIC,
  entry_id: ENTRY,
  kind: 'your_turn',
  idempotency_key: `your_turn:${ENTRY}:c${n}`,
  phone: '+212612345678',
  language: 'fr',
  template: "{patient_name}, c'est votre tour ! Ticket {ticket}, salle {room}.",
  values: { patient_name: 'Amina', ticket: 'A-00' + n, room: 'Salle 2', position: null },
});

Deno.test('service role only', async () => {
  const { rt, rec } = makeRuntime();
  const h = createSweepHandler(rt);
  assert.equal((await h(post('/notification-sweep', {}, 'user-jwt'))).status, 403);
  assert.equal((await h(post('/notification-sweep', {}, null))).status, 403);
  assert.equal(rec.order.length, 0);
});

Deno.test('sends what the outbox owes (rendered), then marks exactly those events', async () => {
  const { rt, rec } = makeRuntime({
    rpc: okRpc({
      notification_outbox: [item(1), item(2)],
      mark_events_notified: 2,
      notification_close_interrupted: 1,
    }),
  });
  const res = await createSweepHandler(rt)(post('/notification-sweep', { min_age_seconds: 0 }, SERVICE));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { processed: 2, by_status: { sent: 2 }, marked: 2, interrupted: 1 });
  assert.deepEqual(rec.rpc[0]!.args, { p_limit: 50, p_min_age_seconds: 0, p_max_age_seconds: 3600 });
  assert.deepEqual(rec.twilio.map((t) => t.form.Body).sort(), [
    "Amina, c'est votre tour ! Ticket A-001, salle Salle 2.",
    "Amina, c'est votre tour ! Ticket A-002, salle Salle 2.",
  ]);
  const keys = rec.rpc
    .filter((c) => c.fn === 'sms_budget_reserve')
    .map((c) => c.args.p_idempotency_key)
    .sort();
  assert.deepEqual(keys, [`your_turn:${ENTRY}:c1`, `your_turn:${ENTRY}:c2`]);
  assert.deepEqual(rec.rpc.at(-2), {
    fn: 'mark_events_notified',
    args: { p_event_ids: [1, 2] },
    auth: `Bearer ${SERVICE}`,
    apikey: SERVICE,
    traceparent: null,
  });
  assert.deepEqual(rec.rpc.at(-1)!.args, { p_older_than_seconds: 600 });
});

Deno.test(
  'a booking confirmation from the outbox carries the tracking link and the cancel link, rendered here',
  async () => {
    const token = 'ab'.repeat(32);
    const { rt, rec } = makeRuntime({
      env: { SITE_URL: 'https://clinic.example/' },
      rpc: okRpc({
        notification_outbox: [
          {
            ...item(7),
            kind: 'booking_confirmed',
            idempotency_key: `booking_confirmed:${ENTRY}`,
            language: 'en',
            template: 'Confirmed {appointment_time}. Follow: {tracking_url}\nTo cancel: {cancel_url}',
            values: { appointment_time: '02/12 10:00' },
            tracking_token: token,
          },
        ],
        mark_events_notified: 1,
        notification_close_interrupted: 0,
      }),
    });
    const res = await createSweepHandler(rt)(post('/notification-sweep', { min_age_seconds: 0 }, SERVICE));
    assert.equal(res.status, 200);
    assert.deepEqual(
      rec.twilio.map((t) => t.form.Body),
      [
        `Confirmed 02/12 10:00. Follow: https://clinic.example/t/${token}\nTo cancel: https://clinic.example/me`,
      ],
    );
    assert.equal(
      rec.rpc.find((c) => c.fn === 'sms_budget_reserve')!.args.p_idempotency_key,
      `booking_confirmed:${ENTRY}`,
    );
  },
);

Deno.test(
  'sends the appointment reminders the database owes, keyed per visit and slot, and marks no event for them',
  async () => {
    const token = 'cd'.repeat(32);
    const key = `appointment_reminder:${ENTRY}:1764669600`;
    const { rt, rec } = makeRuntime({
      env: { SITE_URL: 'https://clinic.example/' },
      rpc: okRpc({
        notification_outbox: [item(1)],
        reminder_outbox: [
          {
            ...item(0),
            event_id: null,
            kind: 'appointment_reminder',
            idempotency_key: key,
            language: 'en',
            template: 'Reminder {appointment_time}, ticket {ticket}: {tracking_url}',
            values: { appointment_time: '02/12 10:00', ticket: 'A-012' },
            tracking_token: token,
          },
        ],
        mark_events_notified: 1,
        notification_close_interrupted: 0,
      }),
    });
    const res = await createSweepHandler(rt)(post('/notification-sweep', { limit: 20 }, SERVICE));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { processed: 2, by_status: { sent: 2 }, marked: 1, interrupted: 0 });
    assert.deepEqual(rec.rpc.find((c) => c.fn === 'reminder_outbox')!.args, { p_limit: 20 });
    assert.ok(
      rec.twilio
        .map((t) => t.form.Body)
        .includes(`Reminder 02/12 10:00, ticket A-012: https://clinic.example/t/${token}`),
    );
    const reserve = rec.rpc.find(
      (c) => c.fn === 'sms_budget_reserve' && c.args.p_kind === 'appointment_reminder',
    )!;
    assert.equal(reserve.args.p_idempotency_key, key);
    assert.equal(reserve.args.p_event_id, null);
    // only the queue event is marked: a reminder is not an event
    assert.deepEqual(rec.rpc.find((c) => c.fn === 'mark_events_notified')!.args, { p_event_ids: [1] });
  },
);

Deno.test(
  'a reminder owed to a patient without a phone is recorded as skipped (no_phone) under its key, nothing sent',
  async () => {
    const key = `appointment_reminder:${ENTRY}:1764669600`;
    const { rt, rec } = makeRuntime({
      rpc: okRpc({
        notification_outbox: [],
        reminder_outbox: [
          {
            ...item(0),
            event_id: null,
            kind: 'appointment_reminder',
            idempotency_key: key,
            phone: null,
            template: 'Reminder {appointment_time}',
            values: { appointment_time: '02/12 10:00' },
            skip_reason: 'no_phone',
          },
        ],
        notification_recipient: { phone: null, language: 'fr', opted_out: false },
        notification_record_skip: { notification_id: 'n-skip', status: 'skipped', duplicate: false },
        notification_close_interrupted: 0,
      }),
    });
    const res = await createSweepHandler(rt)(post('/notification-sweep', {}, SERVICE));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      processed: 1,
      by_status: { no_recipient: 1 },
      marked: 0,
      interrupted: 0,
    });
    assert.equal(rec.twilio.length, 0);
    assert.equal(rec.rpc.filter((c) => c.fn === 'sms_budget_reserve').length, 0);
    assert.deepEqual(rec.rpc.find((c) => c.fn === 'notification_record_skip')!.args, {
      p_clinic_id: CLINIC,
      p_idempotency_key: key,
      p_kind: 'appointment_reminder',
      p_reason: 'no_phone',
      p_entry_id: ENTRY,
      p_event_id: null,
      p_language: 'fr',
    });
  },
);

Deno.test(
  'email18: a reminder whose only way is an email address the patient has not proved is recorded as skipped (email_not_confirmed), never mailed',
  async () => {
    const key = `appointment_reminder:${ENTRY}:1764669600`;
    const { rt, rec } = makeRuntime({
      rpc: okRpc({
        notification_outbox: [],
        reminder_outbox: [
          {
            ...item(0),
            event_id: null,
            kind: 'appointment_reminder',
            idempotency_key: key,
            phone: null,
            template: 'Reminder {appointment_time}',
            values: { appointment_time: '02/12 10:00' },
            skip_reason: 'email_not_confirmed',
          },
        ],
        // the database's route: no channel, and why (20261217200002)
        notification_recipient: {
          phone: null,
          language: 'fr',
          opted_out: false,
          channel: null,
          email: null,
          skip_reason: 'email_not_confirmed',
        },
        notification_record_skip: { notification_id: 'n-skip', status: 'skipped', duplicate: false },
        notification_close_interrupted: 0,
      }),
    });
    const res = await createSweepHandler(rt)(post('/notification-sweep', {}, SERVICE));
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).by_status, { no_recipient: 1 });
    assert.equal(rec.twilio.length, 0);
    assert.equal(rec.rpc.filter((c) => c.fn === 'notification_email_begin').length, 0);
    assert.equal(
      rec.rpc.find((c) => c.fn === 'notification_record_skip')!.args.p_reason,
      'email_not_confirmed',
    );
  },
);

Deno.test('an event whose send crashed stays unmarked for the next sweep', async () => {
  const { rt, rec } = makeRuntime({
    rpc: (fn, args) =>
      fn === 'notification_outbox'
        ? { status: 200, body: [item(1), item(2)] }
        : fn === 'sms_budget_reserve' && String(args.p_idempotency_key).endsWith('c2')
          ? { status: 503, body: { message: 'PGRST000' } }
          : okRpc()(fn, args),
  });
  const res = await createSweepHandler(rt)(post('/notification-sweep', {}, SERVICE));
  const body = (await res.json()) as { by_status: Record<string, number> };
  assert.deepEqual(body.by_status, { sent: 1, error: 1 });
  assert.deepEqual(rec.rpc.find((c) => c.fn === 'mark_events_notified')!.args, { p_event_ids: [1] });
});

Deno.test(
  'renderTemplate: values never re-expand, missing values vanish, control characters become spaces',
  () => {
    assert.equal(
      renderTemplate('{patient_name} : {ticket}', { patient_name: 'A {ticket}\nB', ticket: 'X' }),
      'A {ticket} B : X',
    );
    assert.equal(
      renderTemplate('Position {position}, attente {eta}.', { position: 3 }),
      'Position 3, attente.',
    );
  },
);

Deno.test(
  'W5 waitlist: the offer is told by SMS once — listed by the database clock, sent under its key with the My visits link',
  async () => {
    const key = `waitlist_offer:${ENTRY}`;
    const { rt, rec } = makeRuntime({
      env: { SITE_URL: 'https://clinic.example/' },
      rpc: okRpc({
        notification_outbox: [],
        reminder_outbox: [
          {
            ...item(0),
            event_id: null,
            kind: 'waitlist_offer',
            idempotency_key: key,
            language: 'en',
            template:
              'Earlier slot {appointment_time}, held until {offer_expires_at}. To take it: {offer_url}',
            values: { appointment_time: '02/12 09:20', offer_expires_at: '08:45' },
            tracking_token: null,
          },
        ],
        mark_events_notified: 0,
        notification_close_interrupted: 0,
      }),
    });
    const res = await createSweepHandler(rt)(post('/notification-sweep', {}, SERVICE));
    assert.equal(res.status, 200);
    assert.deepEqual(
      rec.twilio.map((t) => t.form.Body),
      ['Earlier slot 02/12 09:20, held until 08:45. To take it: https://clinic.example/me'],
    );
    const reserve = rec.rpc.find((c) => c.fn === 'sms_budget_reserve')!;
    assert.equal(reserve.args.p_kind, 'waitlist_offer');
    assert.equal(reserve.args.p_idempotency_key, key);
  },
);

Deno.test(
  'remote join: confirmation — the sweep sends the outbox item under its key with the visit’s tracking link',
  async () => {
    const key = `remote_join_confirmed:${ENTRY}`;
    const { rt, rec } = makeRuntime({
      env: { SITE_URL: 'https://clinic.example/' },
      rpc: okRpc({
        notification_outbox: [
          {
            ...item(1),
            kind: 'remote_join_confirmed',
            idempotency_key: key,
            language: 'en',
            template:
              'You joined. Ticket {ticket}, position {position}, arrive by {arrive_by}: {tracking_url}',
            values: { ticket: 'A-007', position: '2', arrive_by: '09:30' },
            tracking_token: 'a'.repeat(64),
          },
        ],
        reminder_outbox: [],
        mark_events_notified: 1,
        notification_close_interrupted: 0,
      }),
    });
    const res = await createSweepHandler(rt)(post('/notification-sweep', {}, SERVICE));
    assert.equal(res.status, 200);
    assert.deepEqual(
      rec.twilio.map((t) => t.form.Body),
      [`You joined. Ticket A-007, position 2, arrive by 09:30: https://clinic.example/t/${'a'.repeat(64)}`],
    );
    const reserve = rec.rpc.find((c) => c.fn === 'sms_budget_reserve')!;
    assert.equal(reserve.args.p_kind, 'remote_join_confirmed');
    assert.equal(reserve.args.p_idempotency_key, key);
  },
);

Deno.test(
  'owner notices of disabled webhooks: email to the owner (no visit), else SMS to their phone, else a recorded skip; each endpoint marked told',
  async () => {
    const notice = (n: number, over: Record<string, unknown>) => ({
      clinic_id: CLINIC,
      endpoint_id: `w-${n}`,
      disables: 1,
      kind: 'webhook_disabled',
      idempotency_key: `webhook_disabled:w-${n}:1`,
      channel: 'email',
      email: 'owner@clinic.test',
      phone: null,
      language: 'fr',
      template: '{clinic_name} : webhook {webhook_url} désactivé après {failures} échecs.',
      values: { clinic_name: 'Cabinet Anfa', webhook_url: 'https://hooks.example.com/q', failures: '20' },
      skip_reason: null,
      ...over,
    });
    const { rt, rec } = makeRuntime({
      rpc: okRpc({
        notification_outbox: [],
        reminder_outbox: [],
        webhook_notice_outbox: [
          notice(1, {}),
          notice(2, { channel: 'sms', email: null, phone: '+212600000024', language: 'en' }),
          notice(3, { channel: null, email: null, phone: null, skip_reason: 'no_phone' }),
        ],
        notification_email_begin: { notification_id: 'n-1', status: 'queued', duplicate: false },
        notification_email_settle: { notification_id: 'n-1', status: 'simulated', attempts: 1 },
        notification_record_skip: { notification_id: 'n-3', status: 'skipped', duplicate: false },
        webhook_notice_done: true,
        notification_close_interrupted: 0,
      }),
    });
    const res = await createSweepHandler(rt)(post('/notification-sweep', {}, SERVICE));
    assert.deepEqual(await res.json(), {
      processed: 3,
      by_status: { simulated: 1, sent: 1, no_recipient: 1 },
      marked: 0,
      interrupted: 0,
    });
    const calls = (fn: string) => rec.rpc.filter((c) => c.fn === fn).map((c) => c.args);
    assert.deepEqual(calls('webhook_notice_outbox'), [{ p_limit: 50 }]);
    const [mail] = calls('notification_email_begin');
    assert.deepEqual(mail, {
      p_clinic_id: CLINIC,
      p_idempotency_key: 'webhook_disabled:w-1:1',
      p_kind: 'webhook_disabled',
      p_entry_id: null,
      p_recipient: 'owner@clinic.test',
      p_subject: 'Cabinet Anfa : webhook désactivé',
      p_body: 'Cabinet Anfa : webhook https://hooks.example.com/q désactivé après 20 échecs.',
      p_event_id: null,
      p_language: 'fr',
    });
    const [sms] = calls('sms_budget_reserve');
    assert.equal(sms!.p_kind, 'webhook_disabled');
    assert.equal(sms!.p_idempotency_key, 'webhook_disabled:w-2:1');
    assert.equal(sms!.p_recipient, '+212600000024');
    assert.equal(sms!.p_entry_id, null);
    assert.equal(rec.twilio.length, 1);
    assert.equal(rec.twilio[0]!.form.To, '+212600000024');
    assert.deepEqual(calls('notification_record_skip'), [
      {
        p_clinic_id: CLINIC,
        p_idempotency_key: 'webhook_disabled:w-3:1',
        p_kind: 'webhook_disabled',
        p_reason: 'no_phone',
        p_language: 'fr',
      },
    ]);
    assert.deepEqual(calls('webhook_notice_done'), [
      { p_endpoint_id: 'w-1', p_disables: 1 },
      { p_endpoint_id: 'w-2', p_disables: 1 },
      { p_endpoint_id: 'w-3', p_disables: 1 },
    ]);
    // no phone number or address in the logs
    assert.ok(!JSON.stringify(rec.logs).includes('+212600000024'));
    assert.ok(!JSON.stringify(rec.logs).includes('owner@clinic.test'));
  },
);

Deno.test(
  'owner notice: an email the mail server refused for good goes by SMS to the owner, else a recorded skip; a timeout does not',
  async () => {
    const notice = (n: number, over: Record<string, unknown> = {}) => ({
      clinic_id: CLINIC,
      endpoint_id: `w-${n}`,
      disables: 2,
      kind: 'webhook_disabled' as const,
      idempotency_key: `webhook_disabled:w-${n}:2`,
      channel: 'email' as const,
      email: 'owner@clinic.test',
      phone: null,
      fallback_phone: '+212600000047',
      language: 'fr' as const,
      template: '{clinic_name} : webhook {webhook_url} désactivé après {failures} échecs.',
      values: { clinic_name: 'Cabinet Anfa', webhook_url: 'https://hooks.example.com/q', failures: '20' },
      skip_reason: null,
      ...over,
    });
    const failing = (e: Error & { responseCode?: number }): Mailer => ({
      send: () => Promise.reject(e),
    });
    const refused = Object.assign(new Error('<owner@clinic.test>: Recipient address rejected'), {
      responseCode: 550,
    });
    const run = async (n: ReturnType<typeof notice>, mailer: Mailer) => {
      const { rt, rec } = makeRuntime({
        rpc: okRpc({
          notification_email_begin: { notification_id: 'n-mail', status: 'queued', duplicate: false },
          notification_email_settle: { notification_id: 'n-mail', status: 'failed', attempts: 1 },
          notification_record_skip: { notification_id: 'n-skip', status: 'skipped', duplicate: false },
          webhook_notice_done: true,
          notification_email_bounced: { notification_id: 'n-mail', patient_id: null, already: false },
        }),
      });
      const rpc = rpcFor(rt, SERVICE);
      const deps = { ...sendDeps(rt, rpc), email: { mailer, from: 'QueueMed <no-reply@clinic.test>' } };
      const status = await sendOwnerNotice(n, rpc, deps);
      const calls = (fn: string) => rec.rpc.filter((c) => c.fn === fn).map((c) => c.args);
      return { status, rec, calls };
    };

    // refused (550): the same text by SMS to the owner's phone, under its own key, then the endpoint is marked
    const a = await run(notice(1), failing(refused));
    assert.equal(a.status, 'fallback_sent');
    const [reserve] = a.calls('sms_budget_reserve');
    assert.equal(reserve!.p_idempotency_key, 'webhook_disabled:w-1:2:sms');
    assert.equal(reserve!.p_kind, 'webhook_disabled');
    assert.equal(reserve!.p_recipient, '+212600000047');
    assert.equal(reserve!.p_entry_id, null);
    assert.equal(
      reserve!.p_body,
      'Cabinet Anfa : webhook https://hooks.example.com/q désactivé après 20 échecs.',
    );
    assert.equal(a.rec.twilio.length, 1);
    assert.equal(a.rec.twilio[0]!.form.To, '+212600000047');
    // the owner's email is marked as bounced (before the SMS): a sweep dying in between leaves the SMS owed
    assert.deepEqual(a.calls('notification_email_bounced'), [{ p_notification_id: 'n-mail' }]);
    const order = a.rec.rpc.map((c) => c.fn);
    assert.ok(order.indexOf('notification_email_bounced') < order.indexOf('sms_budget_reserve'));
    assert.deepEqual(a.calls('webhook_notice_done'), [{ p_endpoint_id: 'w-1', p_disables: 2 }]);
    assert.ok(!JSON.stringify(a.rec.logs).includes('+212600000047'));
    assert.ok(!JSON.stringify(a.rec.logs).includes('owner@clinic.test'));

    // refused and the owner has no phone: the SMS is recorded as skipped (no_phone), nothing sent
    const b = await run(notice(2, { fallback_phone: null }), failing(refused));
    assert.equal(b.status, 'fallback_no_recipient');
    assert.deepEqual(b.calls('notification_record_skip'), [
      {
        p_clinic_id: CLINIC,
        p_idempotency_key: 'webhook_disabled:w-2:2:sms',
        p_kind: 'webhook_disabled',
        p_reason: 'no_phone',
        p_language: 'fr',
      },
    ]);
    assert.equal(b.rec.twilio.length, 0);

    // a timeout is not a refusal (the server may have taken it): no SMS, as for patients
    const c = await run(notice(3), failing(new Error('Connection timeout')));
    assert.equal(c.status, 'failed');
    assert.deepEqual(c.calls('sms_budget_reserve'), []);
    assert.equal(c.rec.twilio.length, 0);
    assert.deepEqual(c.calls('webhook_notice_done'), [{ p_endpoint_id: 'w-3', p_disables: 2 }]);
  },
);

Deno.test(
  'mail22: without a mail server the sweep leaves the email-proof codes in their outbox (the local stack delivers them)',
  async () => {
    const { rt, rec } = makeRuntime({
      rpc: okRpc({
        notification_outbox: [],
        reminder_outbox: [],
        webhook_notice_outbox: [],
        take_notification_email_codes: [
          { email: 'someone@example.org', code: '123456', language: 'fr', clinic_name: 'Cabinet Anfa' },
        ],
        notification_close_interrupted: 0,
      }),
    });
    const res = await createSweepHandler(rt)(post('/notification-sweep', {}, SERVICE));
    assert.equal(res.status, 200);
    // taken is deleted: a sweep that cannot mail must not take them
    assert.deepEqual(
      rec.rpc.filter((c) => c.fn === 'take_notification_email_codes'),
      [],
    );
  },
);
