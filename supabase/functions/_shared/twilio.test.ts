// Twilio helpers: the documented signature example, verification, TwiML escaping.
import assert from 'node:assert/strict';
import { backoffMs, twilioSignature, twiml, verifyTwilioSignature } from './twilio.ts';

const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const DOC_PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+12349013030',
  Digits: '1234',
  From: '+12349013030',
  To: '+18005551212',
};

Deno.test("X-Twilio-Signature: Twilio's documented example (token 12345)", async () => {
  assert.equal(await twilioSignature('12345', DOC_URL, DOC_PARAMS), '0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  assert.equal(
    await verifyTwilioSignature('12345', DOC_URL, DOC_PARAMS, '0/KCTR6DLpKmkAf8muzZqo1nDgQ='),
    true,
  );
});

Deno.test(
  'verification fails for a changed parameter, URL, token, a missing header or no configured token',
  async () => {
    const sig = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';
    assert.equal(
      await verifyTwilioSignature('12345', DOC_URL, { ...DOC_PARAMS, Digits: '1235' }, sig),
      false,
    );
    assert.equal(
      await verifyTwilioSignature('12345', DOC_URL.replace('foo=1', 'foo=2'), DOC_PARAMS, sig),
      false,
    );
    assert.equal(await verifyTwilioSignature('12346', DOC_URL, DOC_PARAMS, sig), false);
    assert.equal(await verifyTwilioSignature('12345', DOC_URL, DOC_PARAMS, null), false);
    assert.equal(await verifyTwilioSignature('', DOC_URL, DOC_PARAMS, sig), false);
  },
);

Deno.test('TwiML escapes the reply', async () => {
  const res = twiml('a < b & "c"');
  assert.equal(res.headers.get('content-type'), 'text/xml; charset=utf-8');
  assert.equal(
    await res.text(),
    '<?xml version="1.0" encoding="UTF-8"?><Response><Message>a &lt; b &amp; &quot;c&quot;</Message></Response>',
  );
  assert.equal(await twiml(null).text(), '<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
});

Deno.test('backoff doubles and adds up to one base of jitter', () => {
  const cfg = { retryBaseMs: 100 };
  assert.deepEqual(
    [1, 2, 3].map((n) => backoffMs(cfg, n, () => 0)),
    [100, 200, 400],
  );
  assert.deepEqual(
    [1, 2, 3].map((n) => backoffMs(cfg, n, () => 0.999)),
    [200, 300, 500],
  );
});
