// send-staff-invitation: the database decides who may send; SMS through the common path; email via API.
import assert from 'node:assert/strict';
import { CLINIC, SERVICE, makeRuntime, okRpc, post } from '../_test/fakes.ts';
import { createInvitationHandler } from './handler.ts';

const INV = '44444444-4444-4444-8444-444444444444';
const TOKEN = 'abcdef0123456789abcdef0123456789';
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
    const noPhone = okRpc({ staff_invitation_delivery: delivery({ phone: null }) });
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
      notification_id: null,
      provider_id: 'em_1',
      error: null,
    });
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
