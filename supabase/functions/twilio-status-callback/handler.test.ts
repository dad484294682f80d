// Delivery receipts: signature checked first; delivered/failed reach the database, others are ignored.
import assert from 'node:assert/strict';
import { makeRuntime, okRpc } from '../_test/fakes.ts';
import { twilioSignature } from '../_shared/twilio.ts';
import { createStatusCallbackHandler } from './handler.ts';

const URL_ = 'http://supa.test/functions/v1/twilio-status-callback';
const form = (p: Record<string, string>) => new URLSearchParams(p).toString();
const signed = async (p: Record<string, string>, token = 'secret-token', url = URL_) =>
  new Request('http://127.0.0.1:9999/twilio-status-callback', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': await twilioSignature(token, url, p),
    },
    body: form(p),
  });

Deno.test('forged or unsigned → 403 and no database call', async () => {
  const { rt, rec } = makeRuntime();
  const h = createStatusCallbackHandler(rt);
  const p = { MessageSid: 'SM1', MessageStatus: 'delivered' };
  assert.equal((await h(await signed(p, 'wrong-token'))).status, 403);
  assert.equal(
    (await h(new Request('http://x/twilio-status-callback', { method: 'POST', body: form(p) }))).status,
    403,
  );
  // a valid signature for other parameters
  const req = await signed({ MessageSid: 'SM1', MessageStatus: 'failed' });
  const tampered = new Request(req.url, { method: 'POST', headers: req.headers, body: form(p) });
  assert.equal((await h(tampered)).status, 403);
  assert.equal(rec.rpc.length, 0);
});

Deno.test('delivered and undelivered update the message with the service role; sent is ignored', async () => {
  const { rt, rec } = makeRuntime({
    rpc: okRpc({ sms_delivery_update: { status: 'delivered', changed: true } }),
  });
  const h = createStatusCallbackHandler(rt);
  assert.equal(
    (await h(await signed({ MessageSid: 'SM1', MessageStatus: 'delivered', AccountSid: 'AC1' }))).status,
    204,
  );
  assert.equal(
    (await h(await signed({ MessageSid: 'SM2', MessageStatus: 'undelivered', ErrorCode: '30003' }))).status,
    204,
  );
  assert.equal((await h(await signed({ MessageSid: 'SM3', MessageStatus: 'sent' }))).status, 204);
  assert.deepEqual(
    rec.rpc.map((c) => c.args),
    [
      { p_provider_id: 'SM1', p_status: 'delivered', p_error: null },
      { p_provider_id: 'SM2', p_status: 'failed', p_error: 'twilio undelivered 30003' },
    ],
  );
  assert.ok(rec.rpc.every((c) => c.auth === 'Bearer service-key'));
});

Deno.test(
  'TWILIO_WEBHOOK_BASE_URL is the signed URL when set (a proxy in front of the functions)',
  async () => {
    const { rt, rec } = makeRuntime({ env: { TWILIO_WEBHOOK_BASE_URL: 'https://sms.example.ma/fn' } });
    const h = createStatusCallbackHandler(rt);
    const p = { MessageSid: 'SM1', MessageStatus: 'delivered' };
    assert.equal(
      (await h(await signed(p, 'secret-token', 'https://sms.example.ma/fn/twilio-status-callback'))).status,
      204,
    );
    assert.equal((await h(await signed(p))).status, 403);
    assert.equal(rec.rpc.length, 1);
  },
);
