// Two-way SMS: signature, keyword → sms_inbound_apply, localized TwiML reply.
import assert from 'node:assert/strict';
import { makeRuntime, okRpc, SERVICE } from '../_test/fakes.ts';
import { twilioSignature } from '../_shared/twilio.ts';
import { createInboundHandler } from './handler.ts';

const URL_ = 'http://supa.test/functions/v1/twilio-inbound';
const FROM = '+212612345678';
const sms = async (body: string, token = 'secret-token') => {
  const p = { From: FROM, To: '+212522000111', Body: body, MessageSid: 'SMin1' };
  return new Request('http://127.0.0.1:9/twilio-inbound', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': await twilioSignature(token, URL_, p),
    },
    body: new URLSearchParams(p).toString(),
  });
};
const applied = (over: Record<string, unknown> = {}) =>
  okRpc({
    sms_inbound_apply: {
      intent: 'late',
      applied: true,
      reason: null,
      language: 'fr',
      clinic_name: 'Cabinet Anfa',
      ticket: 'A-007',
      ...over,
    },
  });
const message = async (res: Response) => /<Message>(.*)<\/Message>/.exec(await res.text())?.[1] ?? null;

Deno.test('forged signature → 403, nothing applied', async () => {
  const { rt, rec } = makeRuntime({ rpc: applied() });
  const res = await createInboundHandler(rt)(await sms('RETARD', 'not-the-token'));
  assert.equal(res.status, 403);
  assert.equal(rec.rpc.length, 0);
});

Deno.test('RETARD / LATE / متأخر → late, answered in the language written', async () => {
  for (const [text, expected] of [
    [
      'Retard 10 min',
      'Cabinet Anfa : c&apos;est noté, nous avons prévenu l&apos;accueil de votre retard (ticket A-007).',
    ],
    ['late', 'Cabinet Anfa: noted, reception knows you are running late (ticket A-007).'],
    ['مُتَأَخِّر', 'Cabinet Anfa: تم إبلاغ الاستقبال بتأخرك (التذكرة A-007).'],
  ] as const) {
    const { rt, rec } = makeRuntime({ rpc: applied() });
    const res = await createInboundHandler(rt)(await sms(text));
    assert.equal(res.status, 200);
    assert.equal(await message(res), expected);
    assert.deepEqual(rec.rpc[0]!.args, { p_from: FROM, p_intent: 'late', p_to: '+212522000111' });
  }
});

Deno.test("ANNULER / CANCEL / إلغاء → cancel; STOP → opt-out in the patient's language", async () => {
  for (const [text, lang] of [
    ['ANNULER', 'fr'],
    ['Cancel', 'en'],
    ['إلغاء', 'ar'],
  ] as const) {
    const { rt, rec } = makeRuntime({ rpc: applied({ intent: 'cancel' }) });
    const m = await message(await createInboundHandler(rt)(await sms(text)));
    assert.equal(rec.rpc[0]!.args.p_intent, 'cancel');
    assert.ok(
      m &&
        (lang === 'ar'
          ? m.includes('تم إلغاء موعدك')
          : lang === 'fr'
            ? m.includes('est annulé')
            : m.includes('is cancelled')),
      `${text}: ${m}`,
    );
  }
  const { rt, rec } = makeRuntime({ rpc: applied({ intent: 'stop', language: 'ar', ticket: null }) });
  const m = await message(await createInboundHandler(rt)(await sms('STOP')));
  assert.equal(rec.rpc[0]!.args.p_intent, 'stop');
  assert.equal(m, 'لن تتلقى بعد الآن رسائل نصية من QueueMed. أرسل START لتلقيها من جديد.');
});

Deno.test('no visit today, already called, and anything else (help, nothing applied)', async () => {
  const none = makeRuntime({ rpc: applied({ applied: false, reason: 'no_visit_today', ticket: null }) });
  assert.equal(
    await message(await createInboundHandler(none.rt)(await sms('LATE'))),
    'We found no visit today for this number.',
  );
  const called = makeRuntime({ rpc: applied({ applied: false, reason: 'already_called' }) });
  assert.match(
    (await message(await createInboundHandler(called.rt)(await sms('RETARD')))) ?? '',
    /déjà été appelé/,
  );
  const other = makeRuntime();
  assert.match(
    (await message(await createInboundHandler(other.rt)(await sms('Bonjour, je suis dans le parking')))) ??
      '',
    /RETARD.*ANNULER.*STOP/,
  );
  assert.equal(other.rec.rpc.length, 0);
  assert.ok(
    other.rec.logs.every((l) => !l.includes('612345678')),
    'no phone in logs',
  );
});

// W6 (issue 17): a waitlist offer answered by SMS reply.
const offerReply = (over: Record<string, unknown> = {}) =>
  okRpc({
    sms_waitlist_reply: {
      answer: 'accept',
      applied: true,
      reason: null,
      language: 'fr',
      clinic_name: 'Cabinet Anfa',
      ticket: 'A-012',
      appointment_time: '10:00',
      ...over,
    },
  });
const rawTwiml = async (res: Response) => await res.text();

Deno.test(
  'W6: 1 / OUI / YES / نعم take the offer through sms_waitlist_reply; the outbox confirms it (empty TwiML)',
  async () => {
    for (const text of ['1', ' oui ', 'Yes!', 'نعم', '١']) {
      const { rt, rec } = makeRuntime({ rpc: offerReply() });
      const res = await createInboundHandler(rt)(await sms(text));
      assert.equal(res.status, 200);
      assert.equal(await message(res), null, text);
      assert.deepEqual(
        rec.rpc.map((c) => [c.fn, c.args]),
        [['sms_waitlist_reply', { p_from: FROM, p_answer: 'accept' }]],
        text,
      );
      assert.ok(
        rec.logs.every((l) => !l.includes('612345678') && !l.includes('Cabinet')),
        'no phone or clinic in logs',
      );
    }
  },
);

Deno.test('W6: 2 / NON / NO / لا decline, answered in the language written, else the patient’s', async () => {
  for (const [text, lang, expected] of [
    ['NON', 'ar', 'Cabinet Anfa : c&apos;est noté, vous gardez votre rendez-vous de 11:00 (ticket A-004).'],
    ['no', 'fr', 'Cabinet Anfa: noted, you keep your appointment at 11:00 (ticket A-004).'],
    ['لا', 'fr', 'Cabinet Anfa: تم تسجيل ردك، تحتفظ بموعدك في 11:00 (التذكرة A-004).'],
    ['2', 'en', 'Cabinet Anfa: noted, you keep your appointment at 11:00 (ticket A-004).'],
  ] as const) {
    const { rt, rec } = makeRuntime({
      rpc: offerReply({ answer: 'decline', language: lang, ticket: 'A-004', appointment_time: '11:00' }),
    });
    const res = await createInboundHandler(rt)(await sms(text));
    assert.equal(await message(res), expected, text);
    assert.equal(rec.rpc[0]!.args.p_answer, 'decline');
  }
});

Deno.test(
  'W6: a second reply, an ended offer, a number with no offer: nothing applied, a polite answer',
  async () => {
    const again = makeRuntime({ rpc: offerReply({ applied: false, reason: 'already_taken' }) });
    assert.equal(
      await message(await createInboundHandler(again.rt)(await sms('1'))),
      'Cabinet Anfa : vous avez déjà pris cette place, votre rendez-vous est à 10:00 (ticket A-012).',
    );
    const ended = makeRuntime({
      rpc: offerReply({
        applied: false,
        reason: 'expired',
        language: 'ar',
        ticket: null,
        appointment_time: null,
      }),
    });
    assert.equal(
      await message(await createInboundHandler(ended.rt)(await sms('1'))),
      'Cabinet Anfa: عذرا، انتهى هذا العرض. يبقى موعدك كما هو.',
    );
    const none = makeRuntime({
      rpc: offerReply({
        applied: false,
        reason: 'unknown_sender',
        language: null,
        clinic_name: null,
        ticket: null,
      }),
    });
    assert.equal(
      await message(await createInboundHandler(none.rt)(await sms('YES'))),
      'We have no slot on offer for this number right now.',
    );
    assert.ok(
      none.rec.logs.every((l) => !l.includes('612345678')),
      'no phone in logs',
    );
    // the move refused inside (the offer ended as it was taken: 409) → told it ended, nothing else
    const refused = makeRuntime({
      rpc: (fn) =>
        fn === 'sms_waitlist_reply'
          ? { status: 409, body: { code: 'PT409', message: 'WAITLIST.OFFER_EXPIRED' } }
          : { status: 200, body: null },
    });
    assert.match(
      (await message(await createInboundHandler(refused.rt)(await sms('oui')))) ?? '',
      /n&apos;est plus valable/,
    );
  },
);

Deno.test(
  'W6: a forged signature takes no offer; keywords keep their meaning; other text is not an answer',
  async () => {
    const forged = makeRuntime({ rpc: offerReply() });
    assert.equal((await createInboundHandler(forged.rt)(await sms('1', 'not-the-token'))).status, 403);
    assert.equal(forged.rec.rpc.length, 0);
    const late = makeRuntime({ rpc: applied() });
    await createInboundHandler(late.rt)(await sms('RETARD'));
    assert.deepEqual(
      late.rec.rpc.map((c) => c.fn),
      ['sms_inbound_apply'],
    );
    const other = makeRuntime({ rpc: offerReply() });
    assert.match((await rawTwiml(await createInboundHandler(other.rt)(await sms('12')))) ?? '', /RETARD/);
    assert.equal(other.rec.rpc.length, 0);
  },
);

Deno.test(
  'the number written to (To) goes to sms_inbound_apply; visits at several clinics → nothing guessed',
  async () => {
    const { rt, rec } = makeRuntime({
      rpc: applied({
        intent: 'cancel',
        applied: false,
        reason: 'ambiguous',
        clinic_name: null,
        ticket: null,
      }),
    });
    const m = await message(await createInboundHandler(rt)(await sms('ANNULER')));
    assert.equal(rec.rpc[0]!.fn, 'sms_inbound_apply');
    assert.equal(rec.rpc[0]!.args.p_to, '+212522000111');
    assert.equal(
      m,
      'Vous avez des rendez-vous aujourd&apos;hui dans plusieurs cliniques : rien n&apos;a été modifié. Utilisez le lien de suivi de votre rendez-vous ou appelez la clinique.',
    );
  },
);

// names27 (mreview26 F7): an SMS STOP is taken back by SMS — START / UNSTOP / DÉMARRER / ابدأ → sms_inbound_apply's
// 'start' with the service role, for the number written to (the same clinics STOP reached), answered in the
// patient's language. Before, START by SMS got the help text and nothing changed.
Deno.test(
  'SMS START / UNSTOP / DÉMARRER / ابدأ takes back the STOP, as the service role, in the patient’s language',
  async () => {
    for (const [text, profile, expected] of [
      ['START', 'fr', 'Vous recevrez à nouveau les SMS de QueueMed. Répondez STOP pour les arrêter.'],
      ['unstop', 'en', 'You will receive SMS from QueueMed again. Reply STOP to stop them.'],
      ['Démarrer', null, 'Vous recevrez à nouveau les SMS de QueueMed. Répondez STOP pour les arrêter.'],
      ['ابدأ', null, 'ستتلقى من جديد الرسائل النصية من QueueMed. أرسل STOP لإيقافها.'],
      ['START', 'ar', 'ستتلقى من جديد الرسائل النصية من QueueMed. أرسل STOP لإيقافها.'],
    ] as const) {
      const { rt, rec } = makeRuntime({
        rpc: applied({ intent: 'start', language: profile, ticket: null, opted_in: 1 }),
      });
      const res = await createInboundHandler(rt)(await sms(text));
      assert.equal(res.status, 200);
      assert.equal(await message(res), expected, text);
      assert.equal(rec.rpc.length, 1, text);
      assert.equal(rec.rpc[0]!.fn, 'sms_inbound_apply');
      assert.deepEqual(rec.rpc[0]!.args, { p_from: FROM, p_intent: 'start', p_to: '+212522000111' });
      assert.equal(rec.rpc[0]!.auth, `Bearer ${SERVICE}`);
      // nothing personal in the log: the phone is masked
      assert.ok(!JSON.stringify(rec.logs).includes(FROM), text);
    }
  },
);

Deno.test('a STOP confirmation tells how to take it back; a forged START changes nothing', async () => {
  const stop = makeRuntime({ rpc: applied({ intent: 'stop', language: 'fr', ticket: null }) });
  assert.equal(
    await message(await createInboundHandler(stop.rt)(await sms('STOP'))),
    'Vous ne recevrez plus de SMS de QueueMed. Répondez START pour les recevoir à nouveau.',
  );
  const forged = makeRuntime({ rpc: applied({ intent: 'start' }) });
  assert.equal((await createInboundHandler(forged.rt)(await sms('START', 'not-the-token'))).status, 403);
  assert.equal(forged.rec.rpc.length, 0);
});
