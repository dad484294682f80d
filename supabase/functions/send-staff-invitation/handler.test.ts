// send-staff-invitation: the database decides who may send; SMS through the common path; email via API.
import assert from 'node:assert/strict';
import { CLINIC, SERVICE, makeRuntime, okRpc, post } from '../_test/fakes.ts';
import { createInvitationHandler } from './handler.ts';

const INV = '44444444-4444-4444-8444-444444444444';
const TOKEN = 'abcdef0123456789abcdef0123456789';
const MAIL = '55555555-5555-4555-8555-555555555555';
const delivery = (over: Record<string, unknown> = {}) => ({
  invitation_id: INV,
  clinic_id: CLINIC,
  clinic_name: 'Cabinet Anfa',
  language: 'fr',
  display_name: 'Sara',
  email: 'sara@example.ma',
  phone: '+212612345670',
  templates: {
    fr: 'Vous êtes invité(e) à rejoindre {clinic_name} sur QueueMed : {tracking_url}',
    en: 'You are invited to join {clinic_name} on QueueMed: {tracking_url}',
    ar: 'أنت مدعو للانضمام إلى {clinic_name} على QueueMed: {tracking_url}',
  },
  ...over,
});

Deno.test('SMS with the link (SITE_URL/invite/<token>) under the key staff_invitation:<id>', async () => {
  const { rt, rec } = makeRuntime({
    env: { SITE_URL: 'https://app.queuemed.ma' },
    rpc: okRpc({ staff_invitation_delivery: delivery() }),
  });
  const res = await createInvitationHandler(rt)(
    post('/send-staff-invitation', { invitation_id: INV, token: TOKEN }),
  );
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    channel: 'sms',
    status: 'sent',
    notification_id: '33333333-3333-4333-8333-333333333333',
    provider_id: `SM${'1'.padStart(32, '0')}`,
    error: null,
  });
  assert.deepEqual(rec.rpc[0]!.args, { p_invitation_id: INV, p_token: TOKEN });
  assert.equal(
    rec.twilio[0]!.form.Body,
    `Vous êtes invité(e) à rejoindre Cabinet Anfa sur QueueMed : https://app.queuemed.ma/invite/${TOKEN}`,
  );
  assert.equal(rec.twilio[0]!.form.To, '+212612345670');
  const reserve = rec.rpc.find((c) => c.fn === 'sms_budget_reserve')!;
  assert.equal(reserve.args.p_idempotency_key, `staff_invitation:${INV}`);
  assert.equal(reserve.args.p_kind, 'staff_invitation');
  // the admin's token proves the invitation; the message log's writers are the service role's only (sms17)
  assert.equal(rec.rpc[0]!.auth, 'Bearer user-jwt');
  assert.equal(reserve.auth, `Bearer ${SERVICE}`);
  assert.equal(rec.rpc.find((c) => c.fn === 'sms_budget_settle')!.auth, `Bearer ${SERVICE}`);
});

Deno.test(
  'email when there is no phone: Resend-compatible API when configured, else not_configured',
  async () => {
    const noPhone = okRpc({
      staff_invitation_delivery: delivery({ phone: null }),
      staff_invitation_email_begin: { notification_id: MAIL, status: 'queued', duplicate: false },
      notification_email_settle: { notification_id: MAIL, status: 'sent', attempts: 1 },
    });
    const off = makeRuntime({ rpc: noPhone });
    const r1 = await createInvitationHandler(off.rt)(
      post('/send-staff-invitation', { invitation_id: INV, token: TOKEN, language: 'en' }),
    );
    assert.deepEqual(await r1.json(), {
      channel: 'email',
      status: 'not_configured',
      notification_id: null,
      provider_id: null,
      error: null,
    });
    assert.equal(off.rec.twilio.length, 0);

    const sent: { url: string; auth: string | null; body: Record<string, unknown> }[] = [];
    const on = makeRuntime({
      rpc: noPhone,
      env: {
        RESEND_API_KEY: 're_test',
        EMAIL_FROM: 'QueueMed <no-reply@queuemed.ma>',
        RESEND_API_BASE: 'http://mail.test',
      },
    });
    const inner = on.rt.fetch;
    on.rt.fetch = ((input: string | URL | Request, init?: RequestInit) => {
      if (String(input).startsWith('http://mail.test')) {
        sent.push({
          url: String(input),
          auth: new Headers(init?.headers).get('authorization'),
          body: JSON.parse(String(init?.body)),
        });
        return Promise.resolve(new Response(JSON.stringify({ id: 'em_1' }), { status: 200 }));
      }
      return inner(input, init);
    }) as typeof fetch;
    const r2 = await createInvitationHandler(on.rt)(
      post('/send-staff-invitation', { invitation_id: INV, token: TOKEN, language: 'en' }),
    );
    assert.deepEqual(await r2.json(), {
      channel: 'email',
      status: 'sent',
      notification_id: MAIL,
      provider_id: 'em_1',
      error: null,
    });
    // fix18 H3: the email is a line of the message log, written and settled with the service key
    const begin = on.rec.rpc.find((c) => c.fn === 'staff_invitation_email_begin')!;
    assert.equal(begin.auth, `Bearer ${SERVICE}`);
    assert.deepEqual(begin.args, {
      p_invitation_id: INV,
      p_subject: 'Invitation to join Cabinet Anfa on QueueMed',
      p_body: `You are invited to join Cabinet Anfa on QueueMed: http://supa.test/invite/${TOKEN}`,
      p_language: 'en',
    });
    const settle = on.rec.rpc.find((c) => c.fn === 'notification_email_settle')!;
    assert.equal(settle.auth, `Bearer ${SERVICE}`);
    assert.deepEqual(settle.args, {
      p_notification_id: MAIL,
      p_status: 'sent',
      p_provider_id: 'em_1',
      p_error: null,
    });
    // nothing recorded when no provider is configured: nothing went out
    assert.equal(off.rec.rpc.filter((c) => c.fn === 'staff_invitation_email_begin').length, 0);
    assert.equal(sent[0]!.url, 'http://mail.test/emails');
    assert.equal(sent[0]!.auth, 'Bearer re_test');
    assert.deepEqual(sent[0]!.body, {
      from: 'QueueMed <no-reply@queuemed.ma>',
      to: ['sara@example.ma'],
      subject: 'Invitation to join Cabinet Anfa on QueueMed',
      text: `You are invited to join Cabinet Anfa on QueueMed: http://supa.test/invite/${TOKEN}`,
    });
  },
);

Deno.test(
  "refusals: the database's 403 (not an admin / wrong token), bad input 400, no token 401",
  async () => {
    const { rt, rec } = makeRuntime({
      rpc: () => ({
        status: 403,
        body: { code: 'PT403', message: 'AUTH.FORBIDDEN', details: 'owner or admin only' },
      }),
    });
    const h = createInvitationHandler(rt);
    assert.equal((await h(post('/send-staff-invitation', { invitation_id: INV, token: TOKEN }))).status, 403);
    assert.equal(
      (await h(post('/send-staff-invitation', { invitation_id: 'x', token: 'short' }))).status,
      400,
    );
    assert.equal(
      (await h(post('/send-staff-invitation', { invitation_id: INV, token: TOKEN }, null))).status,
      401,
    );
    assert.equal(rec.twilio.length, 0);
  },
);

Deno.test(
  'an invitation email already in the message log is not mailed again (one per invitation)',
  async () => {
    const { rt, rec } = makeRuntime({
      rpc: okRpc({
        staff_invitation_delivery: delivery({ phone: null }),
        staff_invitation_email_begin: { notification_id: MAIL, status: 'sent', duplicate: true },
      }),
      env: {
        RESEND_API_KEY: 're_test',
        EMAIL_FROM: 'no-reply@queuemed.ma',
        RESEND_API_BASE: 'http://mail.test',
      },
    });
    let mailed = 0;
    const inner = rt.fetch;
    rt.fetch = ((input: string | URL | Request, init?: RequestInit) => {
      if (String(input).startsWith('http://mail.test')) mailed += 1;
      return inner(input, init);
    }) as typeof fetch;
    const res = await createInvitationHandler(rt)(
      post('/send-staff-invitation', { invitation_id: INV, token: TOKEN, channel: 'email' }),
    );
    assert.deepEqual(await res.json(), {
      channel: 'email',
      status: 'sent',
      notification_id: MAIL,
      provider_id: null,
      error: null,
    });
    assert.equal(mailed, 0);
    assert.equal(rec.rpc.filter((c) => c.fn === 'notification_email_settle').length, 0);
  },
);

Deno.test(
  'a resent invitation (resend_staff_invitation) is a new message: its round is in the SMS and email keys',
  async () => {
    const sms = makeRuntime({ rpc: okRpc({ staff_invitation_delivery: delivery({ resends: 2 }) }) });
    const r1 = await createInvitationHandler(sms.rt)(
      post('/send-staff-invitation', { invitation_id: INV, token: TOKEN }),
    );
    assert.equal(r1.status, 200);
    const reserve = sms.rec.rpc.find((c) => c.fn === 'sms_budget_reserve')!;
    assert.equal(reserve.args.p_idempotency_key, `staff_invitation:${INV}:2`);

    const mail = makeRuntime({
      rpc: okRpc({
        staff_invitation_delivery: delivery({ phone: null, resends: 1 }),
        staff_invitation_email_begin: { notification_id: MAIL, status: 'queued', duplicate: false },
        notification_email_settle: { notification_id: MAIL, status: 'sent', attempts: 1 },
      }),
      env: {
        RESEND_API_KEY: 're_test',
        EMAIL_FROM: 'no-reply@queuemed.ma',
        RESEND_API_BASE: 'http://mail.test',
      },
    });
    const keys: (string | null)[] = [];
    const inner = mail.rt.fetch;
    mail.rt.fetch = ((input: string | URL | Request, init?: RequestInit) => {
      if (String(input).startsWith('http://mail.test')) {
        keys.push(new Headers(init?.headers).get('idempotency-key'));
        return Promise.resolve(new Response(JSON.stringify({ id: 'em_2' }), { status: 200 }));
      }
      return inner(input, init);
    }) as typeof fetch;
    const r2 = await createInvitationHandler(mail.rt)(
      post('/send-staff-invitation', { invitation_id: INV, token: TOKEN }),
    );
    assert.equal((await r2.json()).status, 'sent');
    // the provider's own de-duplication must not swallow the resend either
    assert.deepEqual(keys, [`staff_invitation:${INV}:1`]);
  },
);

Deno.test(
  'sec22a: an invitation phone outside the SMS countries (stored before the rule) is never texted: recorded skipped, nothing reserved',
  async () => {
    const { rt, rec } = makeRuntime({
      env: { SITE_URL: 'https://app.queuemed.ma' },
      rpc: okRpc({
        staff_invitation_delivery: delivery({ phone: '+447700900123', email: null }),
        // the database's answer for a caller-given number outside private.sms_countries
        notification_recipient: {
          patient_id: null,
          phone: null,
          language: 'fr',
          opted_out: false,
          channel: null,
          email: null,
          skip_reason: 'country_not_allowed',
        },
      }),
    });
    const res = await createInvitationHandler(rt)(
      post('/send-staff-invitation', { invitation_id: INV, token: TOKEN }),
    );
    assert.equal(res.status, 200);
    assert.equal(rec.twilio.length, 0);
    assert.equal(
      rec.rpc.find((c) => c.fn === 'sms_budget_reserve'),
      undefined,
    );
    assert.equal(rec.rpc.find((c) => c.fn === 'notification_record_skip')!.args.p_reason, 'no_phone');
  },
);

// mreview22 L7: the function called /rest/v1 from the function host without naming its caller, so the audit rows
// of what it did recorded 127.0.0.1 (and per-address limits counted the host). Every call now carries the client
// address the local stack's gateway set, with the stack's secret, as api and mcp do (apiaddr18); hosted (no
// secret): nothing is forwarded.
const invitationCalls = async (env: Record<string, string>) => {
  const { rt } = makeRuntime({ env, rpc: okRpc({ staff_invitation_delivery: delivery() }) });
  const seen: Headers[] = [];
  const fetch = ((input: Request | URL | string, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/rest/v1/')) seen.push(new Headers(init?.headers));
    return rt.fetch(input, init);
  }) as typeof globalThis.fetch;
  const req = post('/send-staff-invitation', { invitation_id: INV, token: TOKEN });
  req.headers.set('x-queuemed-client-address', '198.51.100.7');
  const res = await createInvitationHandler({ ...rt, fetch })(req);
  assert.equal(res.status, 200);
  return seen;
};

Deno.test(
  'L7: every /rest/v1 call names the caller’s address with the stack’s secret (the admin’s and the service’s)',
  async () => {
    const seen = await invitationCalls({ QUEUEMED_FORWARD_SECRET: 'stack-secret' });
    assert.ok(seen.length >= 3, `the delivery, the budget and the settle: ${seen.length}`);
    for (const h of seen) {
      assert.equal(h.get('x-queuemed-client-address'), '198.51.100.7');
      assert.equal(h.get('x-queuemed-forward-secret'), 'stack-secret');
    }
  },
);

Deno.test('L7: hosted (no forward secret), the caller’s header is not passed on', async () => {
  const seen = await invitationCalls({});
  assert.ok(seen.length >= 3);
  for (const h of seen) {
    assert.equal(h.get('x-queuemed-client-address'), null);
    assert.equal(h.get('x-queuemed-forward-secret'), null);
  }
});
