// WhatsApp (issue 20): deliver() for a visit the server routes to WhatsApp — the database's begin decides
// session | template | fallback; Twilio gets `whatsapp:` addresses and either the body or ContentSid +
// ContentVariables; a refusal settles failed and sends the SMS fallback once; simulation sends nothing.
// Inbound WhatsApp (window, STOP for WhatsApp only) and the failed receipt's fallback.
import assert from 'node:assert/strict';
import { CLINIC, ENTRY, NOTIF, SERVICE, makeRuntime, okRpc } from '../_test/fakes.ts';
import type { RpcScript } from '../_test/fakes.ts';
import { rpcFor, sendDeps } from './context.ts';
import { deliver } from './send.ts';
import { twilioSignature } from './twilio.ts';
import { createInboundHandler } from '../twilio-inbound/handler.ts';
import { createStatusCallbackHandler } from '../twilio-status-callback/handler.ts';

const PHONE = '+212612345678';
const SID = `HX${'0'.repeat(31)}1`;
const FALLBACK_ID = '44444444-4444-4444-8444-444444444444';

const routedToWhatsApp = (begin: Record<string, unknown>, over: Record<string, unknown> = {}): RpcScript =>
  okRpc({
    notification_recipient: {
      phone: PHONE,
      language: 'fr',
      opted_out: false,
      channel: 'whatsapp',
      sender: null,
      patient_id: null,
    },
    notification_whatsapp_begin: begin,
    notification_sms_fallback: {
      notification_id: FALLBACK_ID,
      status: 'queued',
      reserved: true,
      duplicate: false,
      alert: false,
      phone: PHONE,
      fallback_of: NOTIF,
    },
    ...over,
  });

const reserved = { notification_id: NOTIF, status: 'queued', reserved: true, duplicate: false, alert: false };

const send = async (rpc: RpcScript, env: Record<string, string | undefined> = {}, twilio?: () => never) => {
  const { rt, rec } = makeRuntime({
    rpc,
    env: { TWILIO_WHATSAPP_FROM: '+212522000777', WHATSAPP_MESSAGE_PRICE: '0.07', ...env },
    ...(twilio ? { twilio } : {}),
  });
  const r = await deliver(
    {
      clinicId: CLINIC,
      kind: 'booking_confirmed',
      idempotencyKey: 'booking_confirmed:e1',
      body: 'Cabinet Anfa: Amina, votre rendez-vous est confirmé.',
      entryId: ENTRY,
      language: 'fr',
      values: { patient_name: 'Amina', appointment_time: '02/12 10:00' },
    },
    sendDeps(rt, rpcFor(rt, SERVICE)),
  );
  return { r, rec };
};

Deno.test(
  'inside the window: the rendered body to whatsapp:+…, from the platform WhatsApp number',
  async () => {
    const { r, rec } = await send(
      routedToWhatsApp({ ...reserved, mode: 'session', phone: PHONE, sender: null, content_sid: null }),
    );
    assert.equal(r.status, 'sent');
    assert.equal(r.channel, 'whatsapp');
    assert.equal(r.whatsapp_mode, 'session');
    assert.equal(rec.twilio.length, 1);
    const f = rec.twilio[0]!.form;
    assert.equal(f.To, `whatsapp:${PHONE}`);
    assert.equal(f.From, 'whatsapp:+212522000777');
    assert.equal(f.Body, 'Cabinet Anfa: Amina, votre rendez-vous est confirmé.');
    assert.equal(f.ContentSid, undefined);
    const begin = rec.rpc.find((c) => c.fn === 'notification_whatsapp_begin')!;
    assert.equal(begin.args.p_cost, 0.07);
    // recorded before Twilio is called, settled after
    assert.deepEqual(
      rec.order.filter((o) => o !== 'rpc:notification_recipient'),
      ['rpc:notification_whatsapp_begin', 'twilio', 'rpc:sms_budget_settle'],
    );
    assert.equal(rec.rpc.filter((c) => c.fn === 'sms_budget_reserve').length, 0);
  },
);

Deno.test(
  "outside the window: the clinic's template — ContentSid + numbered ContentVariables, no Body; the clinic's own sender",
  async () => {
    const { r, rec } = await send(
      routedToWhatsApp({
        ...reserved,
        mode: 'template',
        phone: PHONE,
        sender: '+212522000888',
        content_sid: SID,
        variables: ['patient_name', 'appointment_time', 'room'],
      }),
    );
    assert.equal(r.status, 'sent');
    assert.equal(r.whatsapp_mode, 'template');
    const f = rec.twilio[0]!.form;
    assert.equal(f.From, 'whatsapp:+212522000888');
    assert.equal(f.ContentSid, SID);
    assert.equal(f.Body, undefined);
    assert.deepEqual(JSON.parse(f.ContentVariables!), { '1': 'Amina', '2': '02/12 10:00', '3': '' });
  },
);

Deno.test(
  "{eta} among a template's variables: the stored estimate read and numbered, even when the text template has none",
  async () => {
    const { r, rec } = await send(
      routedToWhatsApp(
        {
          ...reserved,
          mode: 'template',
          phone: PHONE,
          sender: null,
          content_sid: SID,
          variables: ['patient_name', 'eta'],
        },
        {
          get_entry_estimate: { estimate: { display: { kind: 'minutes', minutes: 25, low: 20, high: 35 } } },
        },
      ),
    );
    assert.equal(r.status, 'sent');
    const vars = JSON.parse(rec.twilio[0]!.form.ContentVariables!) as Record<string, string>;
    assert.equal(vars['1'], 'Amina');
    assert.match(vars['2']!, /25/);
    assert.match(vars['2']!, /20.35/);
    const read = rec.rpc.find((c) => c.fn === 'get_entry_estimate')!;
    assert.deepEqual(read.args, { p_clinic_id: CLINIC, p_entry_id: ENTRY });
    // a template without {eta} pays for no read
    const plain = await send(
      routedToWhatsApp({
        ...reserved,
        mode: 'template',
        phone: PHONE,
        sender: null,
        content_sid: SID,
        variables: ['patient_name'],
      }),
    );
    assert.ok(!plain.rec.rpc.some((c) => c.fn === 'get_entry_estimate'));
  },
);

Deno.test(
  'no template outside the window: nothing recorded for WhatsApp, the message goes by SMS',
  async () => {
    const { r, rec } = await send(routedToWhatsApp({ mode: 'fallback', reason: 'no_template' }));
    assert.equal(r.status, 'sent');
    assert.equal(r.channel, undefined);
    assert.equal(rec.twilio.length, 1);
    assert.equal(rec.twilio[0]!.form.To, PHONE);
    assert.equal(rec.twilio[0]!.form.From, 'QueueMed');
    const reserve = rec.rpc.find((c) => c.fn === 'sms_budget_reserve')!;
    assert.equal(reserve.args.p_idempotency_key, 'booking_confirmed:e1'); // the message's own key
    assert.equal(rec.rpc.filter((c) => c.fn === 'sms_budget_settle').length, 1);
  },
);

Deno.test(
  'Twilio refuses the WhatsApp message → settled failed, then the same text by SMS once (<key>:sms)',
  async () => {
    let n = 0;
    const { rt, rec } = makeRuntime({
      rpc: routedToWhatsApp({ ...reserved, mode: 'session', phone: PHONE, sender: null, content_sid: null }),
      env: { TWILIO_WHATSAPP_FROM: '+212522000777' },
      twilio: () =>
        ++n === 1
          ? { status: 400, body: { code: 63016, message: 'outside the allowed window' } }
          : { status: 201, body: { sid: 'SMfallback', status: 'queued', num_segments: '1', price: null } },
    });
    const r = await deliver(
      {
        clinicId: CLINIC,
        kind: 'your_turn',
        idempotencyKey: 'your_turn:e1',
        body: 'Ticket A-007, à vous.',
        entryId: ENTRY,
      },
      sendDeps(rt, rpcFor(rt, SERVICE)),
    );
    assert.equal(r.status, 'sent');
    assert.equal(r.fallback_from?.notification_id, NOTIF);
    assert.match(r.fallback_from?.error ?? '', /63016/);
    assert.deepEqual(
      rec.twilio.map((t) => t.form.To),
      [`whatsapp:${PHONE}`, PHONE],
    );
    const settles = rec.rpc.filter((c) => c.fn === 'sms_budget_settle');
    assert.equal(settles[0]!.args.p_status, 'failed');
    assert.equal(rec.rpc.filter((c) => c.fn === 'notification_sms_fallback').length, 1);
  },
);

Deno.test('no Twilio credentials: recorded as simulated, nothing leaves the machine', async () => {
  const { r, rec } = await send(
    routedToWhatsApp({ ...reserved, mode: 'session', phone: PHONE, sender: null, content_sid: null }),
    { TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' },
  );
  assert.equal(r.status, 'simulated');
  assert.equal(r.channel, 'whatsapp');
  assert.equal(rec.twilio.length, 0);
  const settle = rec.rpc.find((c) => c.fn === 'sms_budget_settle')!;
  assert.equal(settle.args.p_status, 'simulated');
});

Deno.test('a duplicate key or an exhausted budget sends nothing', async () => {
  for (const [begin, status] of [
    [{ ...reserved, duplicate: true, reserved: false, status: 'sent', mode: null }, 'sent'],
    [{ ...reserved, reserved: false, mode: 'session', phone: PHONE }, 'skipped_budget'],
  ] as const) {
    const { r, rec } = await send(routedToWhatsApp(begin));
    assert.equal(r.status, status);
    assert.equal(rec.twilio.length, 0);
  }
});

Deno.test('no phone number in any log line', async () => {
  const { rec } = await send(
    routedToWhatsApp({ ...reserved, mode: 'session', phone: PHONE, sender: null, content_sid: null }),
  );
  assert.ok(rec.logs.length > 0);
  assert.deepEqual(
    rec.logs.filter((l) => l.includes('612345678')),
    [],
  );
});

// ── inbound and receipts ─────────────────────────────────────────────────────────────────────────
const signedPost = async (fn: string, p: Record<string, string>) =>
  new Request(`http://127.0.0.1:9/${fn}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': await twilioSignature('secret-token', `http://supa.test/functions/v1/${fn}`, p),
    },
    body: new URLSearchParams(p).toString(),
  });

const inboundRpc = okRpc({
  whatsapp_inbound_apply: { window_opened: 1, opted_out: 1, language: 'en', clinic_name: 'Cabinet Anfa' },
  sms_inbound_apply: {
    intent: 'late',
    applied: true,
    reason: null,
    language: 'fr',
    clinic_name: 'Cabinet Anfa',
    ticket: 'A-007',
  },
});

Deno.test(
  'inbound WhatsApp STOP: WhatsApp opt-out only (never the SMS STOP), answered in the patient language',
  async () => {
    const { rt, rec } = makeRuntime({ rpc: inboundRpc });
    const res = await createInboundHandler(rt)(
      await signedPost('twilio-inbound', {
        From: `whatsapp:${PHONE}`,
        To: 'whatsapp:+212522000777',
        Body: 'STOP',
      }),
    );
    assert.equal(res.status, 200);
    assert.match(await res.text(), /no longer receive WhatsApp messages/);
    assert.deepEqual(
      rec.rpc.map((c) => [c.fn, c.args]),
      [
        [
          'whatsapp_inbound_apply',
          { p_from: PHONE, p_stop: true, p_start: false, p_to: '+212522000777', p_platform_sender: null },
        ],
      ],
    );
  },
);

const opened = { p_from: PHONE, p_stop: false, p_start: false, p_platform_sender: null };

Deno.test(
  'inbound WhatsApp: the window is tied to the number written to (To) and the platform sender; START takes STOP back',
  async () => {
    const { rt, rec } = makeRuntime({
      rpc: okRpc({
        whatsapp_inbound_apply: { window_opened: 1, opted_out: 0, resubscribed: 1, language: 'fr' },
        sms_inbound_apply: { applied: false, intent: 'start', language: 'fr', ticket: null, opted_in: 0 },
      }),
      env: { TWILIO_WHATSAPP_FROM: 'whatsapp:+212522000777' },
    });
    const h = createInboundHandler(rt);
    const res = await h(
      await signedPost('twilio-inbound', {
        From: `whatsapp:${PHONE}`,
        To: 'whatsapp:+212522000888',
        Body: 'start',
      }),
    );
    assert.match(await res.text(), /receive WhatsApp messages from QueueMed again/); // written in English
    assert.deepEqual(rec.rpc[0]!.args, {
      p_from: PHONE,
      p_stop: false,
      p_start: true,
      p_to: '+212522000888',
      p_platform_sender: '+212522000777',
    });
    const fr = await h(await signedPost('twilio-inbound', { From: `whatsapp:${PHONE}`, Body: 'Démarrer' }));
    assert.match(await fr.text(), /recevrez à nouveau les messages WhatsApp/);
    rec.rpc.splice(1, 1);
    // in Arabic, answered in Arabic; START by plain SMS is no WhatsApp matter: it takes back the SMS STOP
    // (names27, mreview26 F7 — sms_inbound_apply's 'start'), the WhatsApp opt-out is not touched
    const ar = await h(await signedPost('twilio-inbound', { From: `whatsapp:${PHONE}`, Body: 'ابدأ' }));
    assert.match(await ar.text(), /ستتلقى من جديد رسائل واتساب/);
    assert.equal(rec.rpc[1]!.args.p_start, true);
    const sms = await h(await signedPost('twilio-inbound', { From: PHONE, Body: 'START' }));
    assert.equal(sms.status, 200);
    assert.equal(rec.rpc.length, 3);
    assert.equal(rec.rpc[2]!.fn, 'sms_inbound_apply');
    assert.equal(rec.rpc[2]!.args.p_intent, 'start');
    // a malformed To is not passed on as a number
    await h(
      await signedPost('twilio-inbound', { From: `whatsapp:${PHONE}`, To: 'whatsapp:nope', Body: 'Salut' }),
    );
    assert.equal(rec.rpc[3]!.args.p_to, null);
    assert.equal(rec.rpc[3]!.args.p_start, false);
  },
);

Deno.test('inbound WhatsApp without a keyword opens the window; RETARD there applies as by SMS', async () => {
  const { rt, rec } = makeRuntime({ rpc: inboundRpc });
  const h = createInboundHandler(rt);
  await h(await signedPost('twilio-inbound', { From: `whatsapp:${PHONE}`, Body: 'Bonjour' }));
  assert.deepEqual(
    rec.rpc.map((c) => [c.fn, c.args]),
    [['whatsapp_inbound_apply', { ...opened, p_to: null }]],
  );
  await h(await signedPost('twilio-inbound', { From: `whatsapp:${PHONE}`, Body: 'RETARD' }));
  assert.deepEqual(
    rec.rpc.slice(1).map((c) => [c.fn, c.args]),
    [
      ['whatsapp_inbound_apply', { ...opened, p_to: null }],
      // a WhatsApp To is no SMS number: every clinic is a candidate, several with a visit today → nothing (sms17)
      ['sms_inbound_apply', { p_from: PHONE, p_intent: 'late', p_to: null }],
    ],
  );
  // a plain SMS opens no WhatsApp window
  await h(await signedPost('twilio-inbound', { From: PHONE, Body: 'Bonjour' }));
  assert.equal(rec.rpc.filter((c) => c.fn === 'whatsapp_inbound_apply').length, 2);
});

const receipt = (channel: string, changed: boolean) =>
  okRpc({
    sms_delivery_update: {
      notification_id: NOTIF,
      status: 'failed',
      changed,
      channel,
      clinic_id: CLINIC,
      kind: 'your_turn',
      entry_id: ENTRY,
      idempotency_key: 'your_turn:e1',
      body: changed && channel === 'whatsapp' ? 'Ticket A-007, à vous.' : null,
    },
    notification_sms_fallback: {
      notification_id: FALLBACK_ID,
      status: 'queued',
      reserved: true,
      duplicate: false,
      alert: false,
      phone: PHONE,
      fallback_of: NOTIF,
    },
  });

Deno.test(
  'a failed WhatsApp receipt sends the SMS fallback; an SMS receipt or a repeated one does not',
  async () => {
    const p = { MessageSid: 'SMwa1', MessageStatus: 'undelivered', ErrorCode: '63024' };
    const wa = makeRuntime({ rpc: receipt('whatsapp', true) });
    assert.equal(
      (await createStatusCallbackHandler(wa.rt)(await signedPost('twilio-status-callback', p))).status,
      204,
    );
    const fb = wa.rec.rpc.find((c) => c.fn === 'notification_sms_fallback')!;
    assert.deepEqual(fb.args, {
      p_notification_id: NOTIF,
      p_segments: 1,
      p_cost: 0.25,
      p_body: 'Ticket A-007, à vous.',
    });
    assert.equal(wa.rec.twilio.length, 1);
    assert.equal(wa.rec.twilio[0]!.form.To, PHONE);
    assert.equal(wa.rec.twilio[0]!.form.Body, 'Ticket A-007, à vous.');

    for (const rpc of [receipt('sms', true), receipt('whatsapp', false)]) {
      const other = makeRuntime({ rpc });
      await createStatusCallbackHandler(other.rt)(await signedPost('twilio-status-callback', p));
      assert.equal(other.rec.rpc.filter((c) => c.fn === 'notification_sms_fallback').length, 0);
      assert.equal(other.rec.twilio.length, 0);
    }
  },
);
