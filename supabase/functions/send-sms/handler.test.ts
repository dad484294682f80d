// Deno tests of send-sms against a scripted PostgREST and a recording Twilio (no network).
import assert from 'node:assert/strict';
import { CLINIC, ENTRY, NOTIF, SERVICE, TWILIO, makeRuntime, okRpc, post } from '../_test/fakes.ts';
import { createSendSmsHandler } from './handler.ts';

/** A reference to what happened: the database decides what is owed, to whom, and the text. */
const msg = (over: Record<string, unknown> = {}) => ({
  clinic_id: CLINIC,
  kind: 'your_turn',
  entry_id: ENTRY,
  ...over,
});

const run = async (rt: ReturnType<typeof makeRuntime>['rt'], body: unknown, token?: string | null) => {
  const res = await createSendSmsHandler(rt)(post('/send-sms', body, token));
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

Deno.test(
  'records the message under its key before exactly one Twilio request with body, sender and auth',
  async () => {
    const { rt, rec } = makeRuntime();
    const r = await run(rt, msg());
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {
      notification_id: NOTIF,
      status: 'sent',
      duplicate: false,
      attempts: 1,
      segments: 1,
      cost: 0.25,
      provider_id: `SM${'1'.padStart(32, '0')}`,
      budget_alert: false,
      error: null,
    });
    assert.deepEqual(rec.order, [
      'rpc:send_sms_admit',
      'rpc:notification_prepare',
      'rpc:notification_recipient',
      'rpc:sms_budget_reserve',
      'twilio',
      'rpc:sms_budget_settle',
    ]);
    assert.equal(rec.twilio.length, 1);
    const t = rec.twilio[0]!;
    assert.equal(t.url, `${TWILIO}/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json`);
    assert.equal(t.auth, `Basic ${btoa('AC00000000000000000000000000000001:secret-token')}`);
    assert.equal(t.contentType, 'application/x-www-form-urlencoded');
    assert.deepEqual(t.form, {
      To: '+212612345678',
      From: 'QueueMed',
      Body: 'Ticket A-007, it is your turn. Room 2.',
      StatusCallback: 'http://supa.test/functions/v1/twilio-status-callback',
    });
    const reserve = rec.rpc.find((c) => c.fn === 'sms_budget_reserve')!;
    assert.deepEqual(reserve.args, {
      p_clinic_id: CLINIC,
      p_idempotency_key: 'your_turn:e1:c1',
      p_kind: 'your_turn',
      p_segments: 1,
      p_cost: 0.25,
      p_entry_id: ENTRY,
      p_event_id: 41,
      p_recipient: '+212612345678',
      p_language: 'fr',
      p_body: 'Ticket A-007, it is your turn. Room 2.',
    });
    // the caller's own token decides what is owed; the message log's writers get the service key only (sms17:
    // they are the service role's — a staff token could record free text and a forged "sent" line)
    const asUser = (c: (typeof rec.rpc)[number]) => c.auth === 'Bearer user-jwt' && c.apikey === 'anon-key';
    const asService = (c: (typeof rec.rpc)[number]) => c.auth === `Bearer ${SERVICE}` && c.apikey === SERVICE;
    assert.ok(asUser(rec.rpc.find((c) => c.fn === 'notification_prepare')!));
    for (const fn of ['notification_recipient', 'sms_budget_reserve', 'sms_budget_settle']) {
      const calls = rec.rpc.filter((c) => c.fn === fn);
      assert.ok(calls.length > 0 && calls.every(asService), `${fn} runs with the service key`);
    }
    const settle = rec.rpc.find((c) => c.fn === 'sms_budget_settle')!;
    assert.deepEqual(settle.args, {
      p_notification_id: NOTIF,
      p_status: 'sent',
      p_provider_id: `SM${'1'.padStart(32, '0')}`,
      p_segments: 1,
      p_cost: 0.25,
    });
  },
);

Deno.test("the clinic's sender from the database wins over TWILIO_SENDERS and the platform's", async () => {
  const { rt, rec } = makeRuntime({
    env: { TWILIO_SENDERS: JSON.stringify({ [CLINIC]: '+212522000000' }) },
    rpc: okRpc({
      notification_recipient: { phone: '+212612345678', sender: 'CABINET', language: 'fr', opted_out: false },
    }),
  });
  await run(rt, msg());
  assert.equal(rec.twilio[0]!.form.From, 'CABINET');
});

Deno.test("a clinic's own sender (TWILIO_SENDERS) and a messaging service sid", async () => {
  const mg = 'MG' + 'a'.repeat(32);
  const { rt, rec } = makeRuntime({ env: { TWILIO_SENDERS: JSON.stringify({ [CLINIC]: '+212522000000' }) } });
  await run(rt, msg());
  assert.equal(rec.twilio[0]!.form.From, '+212522000000');
  const other = makeRuntime({ env: { TWILIO_FROM: undefined, TWILIO_MESSAGING_SERVICE_SID: mg } });
  await run(other.rt, msg());
  assert.equal(other.rec.twilio[0]!.form.MessagingServiceSid, mg);
  assert.equal(other.rec.twilio[0]!.form.From, undefined);
});

Deno.test(
  '500, 500, then 201 → one message, 3 attempts, 2 failed tries recorded, growing backoff with jitter',
  async () => {
    const { rt, rec } = makeRuntime({
      twilio: (n) =>
        n < 3
          ? { status: 500, body: { code: 20500, message: 'Internal Server Error' } }
          : { status: 201, body: { sid: 'SMok', num_segments: '1', price: '-0.0700' } },
      rpc: okRpc({ sms_budget_settle: { notification_id: NOTIF, status: 'sent', attempts: 3 } }),
    });
    const r = await run(rt, msg());
    assert.equal(r.json.status, 'sent');
    assert.equal(r.json.attempts, 3);
    assert.equal(r.json.cost, 0.07); // Twilio's price when it gives one
    assert.equal(rec.twilio.length, 3);
    assert.deepEqual(rec.order, [
      'rpc:send_sms_admit',
      'rpc:notification_prepare',
      'rpc:notification_recipient',
      'rpc:sms_budget_reserve',
      'twilio',
      'rpc:notification_record_attempt',
      'twilio',
      'rpc:notification_record_attempt',
      'twilio',
      'rpc:sms_budget_settle',
    ]);
    assert.deepEqual(
      rec.rpc.filter((c) => c.fn === 'notification_record_attempt').map((c) => c.args.p_error),
      ['twilio HTTP 500 20500: Internal Server Error', 'twilio HTTP 500 20500: Internal Server Error'],
    );
    assert.deepEqual(rec.sleeps, [150, 250]); // base·2^(n-1) + 0.5·base
  },
);

Deno.test('429 honours Retry-After; giving up after TWILIO_MAX_ATTEMPTS settles failed', async () => {
  const { rt, rec } = makeRuntime({
    env: { TWILIO_MAX_ATTEMPTS: '2' },
    twilio: () => ({
      status: 429,
      body: { code: 20429, message: 'Too Many Requests' },
      headers: { 'retry-after': '2' },
    }),
  });
  const r = await run(rt, msg());
  assert.equal(r.json.status, 'failed');
  assert.equal(rec.twilio.length, 2);
  assert.deepEqual(rec.sleeps, [2000]);
  const settle = rec.rpc.find((c) => c.fn === 'sms_budget_settle')!;
  assert.equal(settle.args.p_status, 'failed');
});

Deno.test('4xx → failed with the reason at once (no retry), phone numbers redacted from it', async () => {
  const { rt, rec } = makeRuntime({
    twilio: () => ({
      status: 400,
      body: { code: 21211, message: "The 'To' number +212612345678 is not a valid phone number." },
    }),
  });
  const r = await run(rt, msg());
  assert.equal(r.json.status, 'failed');
  assert.equal(rec.twilio.length, 1);
  assert.deepEqual(rec.sleeps, []);
  assert.equal(
    r.json.error,
    "twilio HTTP 400 21211: The 'To' number +212••••78 is not a valid phone number.",
  );
  assert.ok(
    rec.logs.every((l) => !l.includes('612345678')),
    'no phone in logs',
  );
});

Deno.test('network error is retried like a 5xx', async () => {
  const { rt, rec } = makeRuntime({
    twilio: (n) =>
      n === 1
        ? (() => {
            throw new TypeError('connection reset');
          })()
        : { status: 201, body: { sid: 'SMx' } },
  });
  const r = await run(rt, msg());
  assert.equal(r.json.status, 'sent');
  assert.equal(rec.twilio.length, 2);
});

Deno.test(
  'same key again → duplicate, nothing sent; over budget → skipped_budget, nothing sent',
  async () => {
    const dup = makeRuntime({
      rpc: okRpc({
        sms_budget_reserve: {
          notification_id: NOTIF,
          status: 'sent',
          reserved: false,
          duplicate: true,
          alert: false,
        },
      }),
    });
    const a = await run(dup.rt, msg());
    assert.equal(a.json.status, 'sent');
    assert.equal(a.json.duplicate, true);
    assert.equal(dup.rec.twilio.length, 0);
    assert.ok(!dup.rec.order.includes('rpc:sms_budget_settle'));
    const over = makeRuntime({
      rpc: okRpc({
        sms_budget_reserve: {
          notification_id: NOTIF,
          status: 'skipped_budget',
          reserved: false,
          duplicate: false,
          alert: false,
        },
      }),
    });
    const b = await run(over.rt, msg());
    assert.equal(b.json.status, 'skipped_budget');
    assert.equal(over.rec.twilio.length, 0);
  },
);

Deno.test(
  'budget alert is passed on; opted-out recipient or no phone → nothing reserved, nothing sent, recorded as skipped with the reason (no phone number)',
  async () => {
    const alert = makeRuntime({
      rpc: okRpc({
        sms_budget_reserve: {
          notification_id: NOTIF,
          status: 'queued',
          reserved: true,
          duplicate: false,
          alert: true,
        },
      }),
    });
    assert.equal((await run(alert.rt, msg())).json.budget_alert, true);
    const stop = makeRuntime({
      rpc: okRpc({ notification_recipient: { phone: '+212612345678', language: 'ar', opted_out: true } }),
    });
    assert.equal((await run(stop.rt, msg())).json.status, 'opted_out');
    assert.deepEqual(stop.rec.order, [
      'rpc:send_sms_admit',
      'rpc:notification_prepare',
      'rpc:notification_recipient',
      'rpc:notification_record_skip',
    ]);
    const stopSkip = stop.rec.rpc.find((c) => c.fn === 'notification_record_skip')!.args;
    assert.equal(stopSkip.p_reason, 'opted_out');
    assert.equal(stopSkip.p_idempotency_key, 'your_turn:e1:c1');
    assert.equal(stopSkip.p_clinic_id, CLINIC);
    assert.doesNotMatch(JSON.stringify(stopSkip), /612345678/);
    const none = makeRuntime({
      rpc: okRpc({ notification_recipient: { phone: null, language: 'fr', opted_out: false } }),
    });
    assert.equal((await run(none.rt, msg())).json.status, 'no_recipient');
    assert.deepEqual(none.rec.order, [
      'rpc:send_sms_admit',
      'rpc:notification_prepare',
      'rpc:notification_recipient',
      'rpc:notification_record_skip',
    ]);
    assert.equal(none.rec.rpc.find((c) => c.fn === 'notification_record_skip')!.args.p_reason, 'no_phone');
  },
);

Deno.test('simulation mode without credentials: recorded as simulated, Twilio never called', async () => {
  const { rt, rec } = makeRuntime({ env: { TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined } });
  const r = await run(rt, msg());
  assert.equal(r.json.status, 'simulated');
  assert.match(String(r.json.provider_id), /^SIM[0-9a-f]{32}$/);
  assert.equal(rec.twilio.length, 0);
  assert.equal(rec.rpc.find((c) => c.fn === 'sms_budget_settle')!.args.p_status, 'simulated');
  // the recipient is the visit's patient, looked up by the visit only
  assert.deepEqual(rec.rpc[2]!.args, { p_clinic_id: CLINIC, p_entry_id: ENTRY, p_phone: null });
});

Deno.test('Arabic text is counted in UCS-2 segments (70 single, 67 concatenated)', async () => {
  const arabic = 'حان دورك! التذكرة A-007، القاعة 2. '.repeat(3).trim(); // > 70 UTF-16 units
  const { rt, rec } = makeRuntime({
    twilio: () => ({ status: 201, body: { sid: 'SMar' } }),
    rpc: (fn, args) =>
      fn === 'notification_prepare'
        ? {
            status: 200,
            body: {
              kind: 'your_turn',
              entry_id: ENTRY,
              event_id: 41,
              idempotency_key: 'k',
              language: 'ar',
              template: arabic,
              values: {},
              tracking_token_ok: false,
            },
          }
        : okRpc()(fn, args),
  });
  const r = await run(rt, msg());
  const units = arabic.length;
  assert.ok(units > 70 && units <= 134, `fixture is ${units} units`);
  assert.equal(rec.rpc.find((c) => c.fn === 'sms_budget_reserve')!.args.p_segments, 2);
  assert.equal(r.json.segments, 2);
  assert.equal(r.json.cost, 0.5);
});

Deno.test(
  'invalid input → 400 with the fields, nothing called; free to/body/key refused; no token → 401; almost_turn is almost_turn',
  async () => {
    const { rt, rec } = makeRuntime();
    const bad = await run(rt, { clinic_id: 'nope', kind: 'party', entry_id: 'x', position: 0 });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.code, 'VALIDATION.FAILED');
    const paths = (bad.json.details as { path: string }[]).map((d) => d.path);
    for (const p of ['clinic_id', 'kind', 'entry_id', 'position'])
      assert.ok(paths.includes(p), `${p} reported`);
    // the old relay shape: a number and a text of the caller's choosing
    const relay = await run(
      rt,
      msg({ to: '+212612345679', body: 'Your bank account is locked', idempotency_key: 'k' }),
    );
    assert.equal(relay.status, 400);
    assert.equal(relay.json.code, 'VALIDATION.FAILED');
    assert.equal((await run(rt, msg({ kind: 'staff_invitation' }))).status, 400);
    assert.equal((await run(rt, msg({ entry_id: undefined }))).status, 400);
    assert.equal((await run(rt, msg({ tracking_token: '../../x' }))).status, 400);
    assert.equal((await run(rt, '{not json')).status, 400);
    assert.equal((await run(rt, msg(), null)).status, 401);
    assert.equal(rec.order.length, 0);
    await run(rt, msg({ kind: 'almost_turn', position: 2 }));
    assert.deepEqual(rec.rpc[0]!.args, { p_clinic_id: CLINIC });
    assert.deepEqual(rec.rpc[1]!.args, {
      p_clinic_id: CLINIC,
      p_entry_id: ENTRY,
      p_kind: 'almost_turn',
      p_event_id: null,
      p_correlation_id: null,
      p_position: 2,
      p_tracking_token: null,
    });
  },
);

Deno.test('the text is the template rendered here; a verified tracking token becomes the link', async () => {
  const token = 'tok_0123456789abcdef';
  const { rt, rec } = makeRuntime({
    env: { SITE_URL: 'https://app.test/' },
    rpc: (fn, args) =>
      fn === 'notification_prepare'
        ? {
            status: 200,
            body: {
              kind: 'booking_confirmed',
              entry_id: ENTRY,
              event_id: null,
              idempotency_key: `booking_confirmed:${ENTRY}`,
              language: 'en',
              template: '{clinic_name}: {patient_name}, {appointment_time}. {tracking_url}',
              values: { clinic_name: 'Atlas', patient_name: 'Amina\nX', appointment_time: '01/12 10:00' },
              tracking_token_ok: args.p_tracking_token === token,
            },
          }
        : okRpc()(fn, args),
  });
  await run(rt, msg({ kind: 'booking_confirmed', tracking_token: token }));
  assert.equal(rec.twilio[0]!.form.Body, `Atlas: Amina X, 01/12 10:00. https://app.test/t/${token}`);
  const reserve = rec.rpc.find((c) => c.fn === 'sms_budget_reserve')!;
  assert.equal(reserve.args.p_idempotency_key, `booking_confirmed:${ENTRY}`);
  assert.equal(reserve.args.p_event_id, null);
  const wrong = makeRuntime({
    rpc: (fn, args) =>
      fn === 'notification_prepare'
        ? {
            status: 200,
            body: {
              kind: 'booking_confirmed',
              entry_id: ENTRY,
              event_id: null,
              idempotency_key: 'k',
              language: 'en',
              template: 'Link: {tracking_url}',
              values: {},
              tracking_token_ok: false,
            },
          }
        : okRpc()(fn, args),
  });
  await run(wrong.rt, msg({ kind: 'booking_confirmed', tracking_token: 'not_the_visit_token_x' }));
  assert.equal(wrong.rec.twilio[0]!.form.Body, 'Link:');
});

Deno.test(
  'almost your turn: {tracking_url} is the link the server rendered for the visit (issue 15.3)',
  async () => {
    const link = 'a'.repeat(64);
    const { rt, rec } = makeRuntime({
      env: { SITE_URL: 'https://app.test/' },
      rpc: (fn, args) =>
        fn === 'notification_prepare'
          ? {
              status: 200,
              body: {
                kind: 'almost_turn',
                entry_id: ENTRY,
                event_id: null,
                idempotency_key: `almost_turn:${ENTRY}:once`,
                language: 'fr',
                template: 'Bientôt votre tour ({position}). Suivez : {tracking_url}',
                values: { position: '1' },
                tracking_token_ok: false,
                tracking_token: link,
              },
            }
          : okRpc()(fn, args),
    });
    await run(rt, msg({ kind: 'almost_turn', position: 1 }));
    assert.equal(rec.twilio[0]!.form.Body, `Bientôt votre tour (1). Suivez : https://app.test/t/${link}`);
  },
);

Deno.test('nothing owed (the database says 404) → 404, nothing reserved, nothing sent', async () => {
  const { rt, rec } = makeRuntime({
    rpc: (fn) =>
      fn === 'notification_prepare'
        ? {
            status: 404,
            body: {
              code: 'PT404',
              message: 'NOT_FOUND',
              details: 'no logged event of this visit owes this message',
            },
          }
        : { status: 200, body: null },
  });
  const r = await run(rt, msg());
  assert.equal(r.status, 404);
  assert.deepEqual(r.json, { code: 'NOT_FOUND', message: 'no logged event of this visit owes this message' });
  assert.deepEqual(rec.order, ['rpc:send_sms_admit', 'rpc:notification_prepare']);
  assert.equal(rec.twilio.length, 0);
});

Deno.test(
  "the database's refusal is the answer: 403 for a non-member; the service key acts as service role",
  async () => {
    const { rt, rec } = makeRuntime({
      rpc: (fn) =>
        fn === 'notification_prepare'
          ? {
              status: 403,
              body: { code: 'PT403', message: 'AUTH.FORBIDDEN', details: 'not a member of this clinic' },
            }
          : { status: 200, body: null },
    });
    const r = await run(rt, msg());
    assert.equal(r.status, 403);
    assert.deepEqual(r.json, { code: 'AUTH.FORBIDDEN', message: 'not a member of this clinic' });
    assert.equal(rec.twilio.length, 0);
    const svc = makeRuntime();
    await run(svc.rt, msg(), SERVICE);
    assert.ok(svc.rec.rpc.every((c) => c.auth === `Bearer ${SERVICE}` && c.apikey === SERVICE));
  },
);

/** notification_prepare's answer for an "almost your turn" / "your turn" in `language`. */
const prepared = (
  kind: string,
  language: 'ar' | 'fr' | 'en',
  template: string,
  values: Record<string, string>,
) => ({
  status: 200,
  body: {
    kind,
    entry_id: ENTRY,
    event_id: kind === 'almost_turn' ? null : 41,
    idempotency_key: `${kind}:${ENTRY}`,
    language,
    template,
    values: { patient_name: 'Amina', ticket: 'A-007', ...values },
    tracking_token_ok: false,
  },
});

Deno.test(
  "{eta} is the estimate stored for the visit (the dashboard's), as a phrase in the patient's language",
  async () => {
    const stored = {
      estimate: {
        minutes: 23.4,
        low: 18.2,
        high: 33.9,
        display: { kind: 'minutes', minutes: 25, low: 15, high: 35 },
        queue_version: 9,
        computed_at: '2026-11-30T09:00:00Z',
      },
      accuracy_minutes: 7,
    };
    const bodies: Record<string, string> = {};
    for (const [lang, template] of [
      ['fr', 'Position {position}, attente {eta}.'],
      ['en', 'Position {position}, wait {eta}.'],
      ['ar', 'ترتيبك {position}، الانتظار المتوقع {eta}.'],
      // the built-in templates say "about" themselves: it is not said twice
      ['fr-builtin', 'vous êtes n°{position} (environ {eta}).'],
      ['ar-builtin', 'ترتيبك {position} (حوالي {eta}).'],
    ] as const) {
      const language = lang.slice(0, 2) as 'fr' | 'en' | 'ar';
      const { rt, rec } = makeRuntime({
        rpc: (fn, args) =>
          fn === 'notification_prepare'
            ? prepared('almost_turn', language, template, { position: '2' })
            : fn === 'get_entry_estimate'
              ? { status: 200, body: stored }
              : okRpc()(fn, args),
      });
      const r = await run(rt, msg({ kind: 'almost_turn', position: 2 }));
      assert.equal(r.status, 200);
      bodies[lang] = rec.twilio[0]!.form.Body!;
      assert.deepEqual(rec.rpc.find((c) => c.fn === 'get_entry_estimate')!.args, {
        p_clinic_id: CLINIC,
        p_entry_id: ENTRY,
      });
    }
    assert.deepEqual(bodies, {
      fr: 'Position 2, attente environ 25 min (15-35).',
      en: 'Position 2, wait about 25 min (15-35).',
      ar: 'ترتيبك 2، الانتظار المتوقع حوالي 25 دقيقة (15-35).',
      'fr-builtin': 'vous êtes n°2 (environ 25 min (15-35)).',
      'ar-builtin': 'ترتيبك 2 (حوالي 25 دقيقة (15-35)).',
    });
  },
);

Deno.test(
  'no stored estimate, or a failing read: the message still goes, its wait "not known yet" in the patient\'s language',
  async () => {
    for (const answer of [
      { status: 200, body: { estimate: null, accuracy_minutes: null } },
      { status: 503, body: { message: 'PGRST000' } },
    ]) {
      const bodies: string[] = [];
      for (const [language, template] of [
        ['en', 'Position {position}, wait {eta}.'],
        ['fr', 'Position {position}, attente {eta}.'],
        ['ar', 'ترتيبك {position}، الانتظار المتوقع {eta}.'],
      ] as const) {
        const { rt, rec } = makeRuntime({
          rpc: (fn, args) =>
            fn === 'notification_prepare'
              ? prepared('almost_turn', language, template, { position: '1' })
              : fn === 'get_entry_estimate'
                ? answer
                : okRpc()(fn, args),
        });
        await run(rt, msg({ kind: 'almost_turn', position: 1 }));
        bodies.push(rec.twilio[0]!.form.Body!);
      }
      assert.deepEqual(bodies, [
        'Position 1, wait not known yet.',
        'Position 1, attente pas encore connue.',
        'ترتيبك 1، الانتظار المتوقع غير معروفة بعد.',
      ]);
    }
    // a template without {eta} does not read the estimate at all
    const { rt, rec } = makeRuntime();
    await run(rt, msg());
    assert.ok(!rec.order.includes('rpc:get_entry_estimate'));
  },
);

Deno.test(
  "the visit's latest estimate, stored on an older queue version (the line moved before the SMS left), is its wait",
  async () => {
    const { rt, rec } = makeRuntime({
      rpc: (fn, args) =>
        fn === 'notification_prepare'
          ? prepared('almost_turn', 'fr', 'Position {position}, attente {eta}.', { position: '1' })
          : fn === 'get_entry_estimate'
            ? {
                status: 200,
                body: {
                  estimate: {
                    minutes: 3.1,
                    low: 0,
                    high: 8.2,
                    display: { kind: 'minutes', minutes: 5, low: 0, high: 10 },
                    queue_version: 4,
                    computed_at: '2026-12-02T09:00:00Z',
                    age_seconds: 2,
                    current: false,
                  },
                  accuracy_minutes: null,
                },
              }
            : okRpc()(fn, args),
    });
    await run(rt, msg({ kind: 'almost_turn', position: 1 }));
    assert.equal(rec.twilio[0]!.form.Body, 'Position 1, attente environ 5 min (0-10).');
  },
);

Deno.test('"your turn" names the room by its label: "Salle 2", not "2"', async () => {
  const bodies: string[] = [];
  for (const [lang, template] of [
    ['fr', 'Ticket {ticket}. Merci de vous présenter : {room}.'],
    ['en', 'Ticket {ticket}. Please go to: {room}.'],
    ['ar', 'التذكرة {ticket}. تفضل إلى: {room}.'],
    // the template already says "salle": not "salle Salle 2"
    ['fr', 'Ticket {ticket}, salle {room}.'],
  ] as const) {
    const { rt, rec } = makeRuntime({
      rpc: (fn, args) =>
        fn === 'notification_prepare'
          ? prepared('your_turn', lang, template, { room: '2' })
          : okRpc()(fn, args),
    });
    await run(rt, msg());
    bodies.push(rec.twilio[0]!.form.Body!);
  }
  assert.deepEqual(bodies, [
    'Ticket A-007. Merci de vous présenter : Salle 2.',
    'Ticket A-007. Please go to: Room 2.',
    // Arabic: the ticket isolated (FSI … PDI) so a phone never lays it out as "007-A" (issue 15.8)
    'التذكرة \u2068A-007\u2069. تفضل إلى: القاعة 2.',
    'Ticket A-007, salle 2.',
  ]);
});

Deno.test(
  "the caller's W3C trace: its id on the RPCs (a span of this function) and on the log lines, never sent to Twilio",
  async () => {
    const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const { rt, rec } = makeRuntime();
    const req = post('/send-sms', msg());
    req.headers.set('traceparent', caller);
    assert.equal((await createSendSmsHandler(rt)(req)).status, 200);
    assert.ok(rec.rpc.length >= 3);
    for (const c of rec.rpc) {
      assert.match(c.traceparent ?? '', /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
      assert.notEqual(c.traceparent, caller, 'a span of its own');
    }
    assert.deepEqual(
      rec.twilio.map((t) => t.traceparent),
      [null],
    );

    // a failure's log line carries the trace id
    const failing = makeRuntime({ rpc: () => ({ status: 500, body: { message: 'boom' } }) });
    const bad = post('/send-sms', msg());
    bad.headers.set('traceparent', caller);
    assert.equal((await createSendSmsHandler(failing.rt)(bad)).status, 500);
    const lines = failing.rec.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.length > 0);
    for (const l of lines) assert.equal(l.trace_id, '4bf92f3577b34da6a3ce929d0e0e4736');

    // no or a malformed traceparent: a new trace, still on every RPC
    const fresh = makeRuntime();
    const plain = post('/send-sms', msg());
    plain.headers.set('traceparent', '00-00000000000000000000000000000000-00f067aa0ba902b7-01');
    await createSendSmsHandler(fresh.rt)(plain);
    const ids = new Set(fresh.rec.rpc.map((c) => c.traceparent?.split('-')[1]));
    assert.equal(ids.size, 1);
    assert.match([...ids][0] ?? '', /^(?!0{32})[0-9a-f]{32}$/);
  },
);

Deno.test(
  "review26 L1: Postgres' own refusal text is never the answer's code — a coded error with a fixed message",
  async () => {
    const cases: [{ status: number; body: unknown }, number, string][] = [
      // the anon key as bearer: PostgREST's 401 for a function anon may not execute
      [
        {
          status: 401,
          body: {
            code: '42501',
            message: 'permission denied for function notification_prepare',
            details: null,
            hint: null,
          },
        },
        401,
        'AUTH.FORBIDDEN',
      ],
      [
        {
          status: 403,
          body: { code: '42501', message: 'permission denied for table patients', details: null },
        },
        403,
        'AUTH.FORBIDDEN',
      ],
      [
        {
          status: 400,
          body: { code: '22P02', message: 'invalid input syntax for type uuid: "x"', details: null },
        },
        400,
        'VALIDATION.FAILED',
      ],
      [
        {
          status: 404,
          body: {
            code: 'PGRST202',
            message: 'Could not find the function public.notification_prepare(p_kind) in the schema cache',
            hint: 'Perhaps you meant to call the function public.notification_prepare',
          },
        },
        500,
        'INTERNAL',
      ],
      [
        { status: 500, body: { code: 'XX000', message: 'relation private.sms_budgets is broken' } },
        500,
        'INTERNAL',
      ],
    ];
    for (const [answer, status, code] of cases) {
      const { rt, rec } = makeRuntime({
        rpc: (fn, args) => (fn === 'notification_prepare' ? answer : okRpc()(fn, args)),
      });
      const r = await run(rt, msg());
      assert.equal(r.status, status, JSON.stringify(answer));
      assert.equal(r.json.code, code);
      const text = JSON.stringify(r.json);
      for (const leak of ['notification_prepare', 'permission', 'uuid', 'private.', 'patients', 'schema'])
        assert.ok(!text.includes(leak), `${text} names ${leak}`);
      assert.equal(rec.twilio.length, 0);
      // the log keeps what PostgREST said (its code), for the operator — never the caller
      if (status === 500) {
        const pg = (answer.body as { code: string }).code;
        assert.ok(rec.logs.some((l) => l.includes(`rpc 500 ${pg}`)));
      }
    }
  },
);

Deno.test(
  'review26 L5: over the limit (send_sms_admit, the caller’s token) → 429 RATE.LIMITED with Retry-After; nothing prepared, reserved or sent',
  async () => {
    for (const scope of ['caller', 'clinic'] as const) {
      const { rt, rec } = makeRuntime({
        admit: { status: 200, body: { admitted: false, scope, retry_after: 37 } },
      });
      const res = await createSendSmsHandler(rt)(post('/send-sms', msg()));
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '37');
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body.code, 'RATE.LIMITED');
      assert.match(String(body.message), scope === 'caller' ? /this account/ : /this clinic/);
      assert.deepEqual(rec.order, ['rpc:send_sms_admit']);
      assert.equal(rec.rpc[0]!.auth, 'Bearer user-jwt', 'counted as the caller, never the service role');
      assert.equal(rec.rpc[0]!.apikey, 'anon-key');
      assert.deepEqual(rec.rpc[0]!.args, { p_clinic_id: CLINIC });
      assert.equal(rec.twilio.length, 0);
    }
    // the anon key as a bearer: the database refuses it (anon holds no EXECUTE), a coded answer, nothing else runs
    const anon = makeRuntime({
      admit: {
        status: 401,
        body: { code: '42501', message: 'permission denied for function send_sms_admit', details: null },
      },
    });
    const r = await createSendSmsHandler(anon.rt)(post('/send-sms', msg(), 'anon-key'));
    assert.equal(r.status, 401);
    const refusal = (await r.json()) as Record<string, unknown>;
    assert.equal(refusal.code, 'AUTH.FORBIDDEN');
    assert.doesNotMatch(JSON.stringify(refusal), /send_sms_admit|permission denied/);
    assert.deepEqual(anon.rec.order, ['rpc:send_sms_admit']);
    // an answer of another shape is no admission: 500, nothing sent
    const odd = makeRuntime({ admit: { status: 200, body: { admitted: 'yes' } } });
    assert.equal((await createSendSmsHandler(odd.rt)(post('/send-sms', msg()))).status, 500);
    assert.deepEqual(odd.rec.order, ['rpc:send_sms_admit']);
  },
);

Deno.test(
  'review26 L5: a caller the database refused is refused by this instance without a database call until its Retry-After; others, and the service role, still ask',
  async () => {
    const jwt = (sub: string) =>
      `e30.${btoa(JSON.stringify({ sub, role: 'authenticated' })).replace(/=+$/, '')}.sig`;
    const flooder = jwt('44444444-4444-4444-8444-444444444444');
    const desk = jwt('55555555-5555-4555-8555-555555555555');
    let refuse = true;
    let t = 1_000_000;
    const { rt, rec } = makeRuntime();
    const admitFor = (auth: string | null) =>
      refuse && auth === `Bearer ${flooder}`
        ? { admitted: false, scope: 'caller', retry_after: 30 }
        : { admitted: true };
    // the fake PostgREST answers send_sms_admit per caller
    const handler = createSendSmsHandler(
      {
        ...rt,
        fetch: (input, init) => {
          const url = String(input instanceof Request ? input.url : input);
          if (url.endsWith('/rpc/send_sms_admit')) {
            rec.order.push('rpc:send_sms_admit');
            const auth = new Headers(init?.headers).get('authorization');
            return Promise.resolve(
              new Response(JSON.stringify(admitFor(auth)), {
                status: 200,
                headers: { 'content-type': 'application/json' },
              }),
            );
          }
          return rt.fetch(input, init);
        },
      },
      () => t,
    );
    const admits = () => rec.order.filter((o) => o === 'rpc:send_sms_admit').length;
    const r1 = await handler(post('/send-sms', msg(), flooder));
    assert.equal(r1.status, 429);
    assert.equal(r1.headers.get('retry-after'), '30');
    assert.equal(admits(), 1);
    // held: the same caller again and again, no database call at all
    for (let i = 0; i < 5; i++) {
      t += 1000;
      const r = await handler(post('/send-sms', msg(), flooder));
      assert.equal(r.status, 429);
      assert.equal(((await r.json()) as Record<string, unknown>).code, 'RATE.LIMITED');
    }
    assert.equal(admits(), 1);
    t += 1000;
    const r = await handler(post('/send-sms', msg(), flooder));
    assert.equal(r.headers.get('retry-after'), '24');
    // another caller (the desk) is asked and admitted; the service role is never held
    assert.equal((await handler(post('/send-sms', msg(), desk))).status, 200);
    assert.equal((await handler(post('/send-sms', msg(), SERVICE))).status, 200);
    assert.equal(admits(), 2, 'the service role is not counted: not asked');
    // after its Retry-After the database decides again (here: admitted)
    refuse = false;
    t += 24_000;
    assert.equal((await handler(post('/send-sms', msg(), flooder))).status, 200);
    assert.equal(admits(), 3);
  },
);
