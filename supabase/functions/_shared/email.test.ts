// Deno tests of the email channel against a real SMTP server on 127.0.0.1 (smtp-server), sent by the real
// adapter (nodemailer): what the patient's mailbox receives — subject and body in the patient's language,
// right to left for Arabic, no phone number — and what the database is told (begin → settle).
import assert from 'node:assert/strict';
import { SMTPServer } from 'npm:smtp-server@^3';
import { simpleParser } from 'npm:mailparser@^3';
import type { ParsedMail } from 'npm:mailparser@^3';
import { CLINIC, ENTRY, NOTIF, SERVICE, makeRuntime, okRpc, post } from '../_test/fakes.ts';
import { createSweepHandler } from '../notification-sweep/handler.ts';
import { sendDeps } from './context.ts';
import { rpcFor } from './context.ts';
import { renderTemplate } from './render.ts';
import { deliver } from './send.ts';
import { verifyUnsubscribe } from './unsubscribe.ts';
import { createUnsubscribeHandler } from '../email-unsubscribe/handler.ts';

const PHONE = '+212612345678';

interface Smtp {
  url: string;
  mails: ParsedMail[];
  envelopes: string[][];
  close(): Promise<void>;
}

/** A local SMTP server; `reject` refuses every recipient with a 550 (or `rejectCode`) that quotes the address. */
const startSmtp = async (opts: { reject?: boolean; rejectCode?: number } = {}): Promise<Smtp> => {
  const mails: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const server = new SMTPServer({
    authOptional: true,
    name: 'smtp.test',
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (opts.reject) {
        const err = new Error(`<${address.address}>: Recipient address rejected`) as Error & {
          responseCode: number;
        };
        err.responseCode = opts.rejectCode ?? 550;
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      envelopes.push(session.envelope.rcptTo.map((r) => r.address));
      simpleParser(stream)
        .then((m) => {
          mails.push(m);
          cb();
        })
        .catch((e) => cb(e as Error));
    },
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port)),
  );
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    envelopes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** The database's answers for a visit it routes to email (patient Amina, address amina@example.org). */
const emailRpc = (language: 'ar' | 'fr' | 'en', over: Record<string, unknown> = {}) =>
  okRpc({
    notification_recipient: {
      phone: PHONE,
      language,
      opted_out: false,
      patient_id: null,
      channel: 'email',
      email: 'amina@example.org',
    },
    notification_email_begin: { notification_id: NOTIF, status: 'queued', duplicate: false },
    notification_email_settle: { notification_id: NOTIF, status: 'sent', attempts: 1 },
    ...over,
  });

const AR_TEMPLATE = '{patient_name}، حان دورك في {clinic_name}. التذكرة {ticket}، {room}.';
const FR_TEMPLATE =
  'Bonjour {patient_name}, votre rendez-vous chez {clinic_name} est confirmé le {appointment_time}. Suivi : {tracking_url}';

Deno.test(
  'an Arabic "your turn" routed to email: the mailbox gets an RTL message in Arabic, no phone, nothing by SMS',
  async () => {
    const smtp = await startSmtp();
    try {
      const { rt, rec } = makeRuntime({
        env: { SMTP_URL: smtp.url, EMAIL_FROM: 'Clinique <no-reply@clinic.test>' },
        rpc: emailRpc('ar'),
      });
      const values = { patient_name: 'أمينة', clinic_name: 'عيادة النور', ticket: 'A-007', room: '2' };
      const body = renderTemplate(AR_TEMPLATE, values, 'ar');
      const r = await deliver(
        {
          clinicId: CLINIC,
          kind: 'your_turn',
          idempotencyKey: 'your_turn:e1:c1',
          body,
          values,
          entryId: ENTRY,
          language: 'ar',
        },
        sendDeps(rt, rpcFor(rt, 'user-jwt')),
      );
      assert.equal(r.status, 'sent');
      assert.equal(r.channel, 'email');
      assert.equal(smtp.mails.length, 1);
      const m = smtp.mails[0]!;
      assert.deepEqual(smtp.envelopes, [['amina@example.org']]);
      assert.equal(m.subject, 'عيادة النور: حان دورك');
      assert.deepEqual(
        m.from?.value.map((a) => [a.name, a.address]),
        [['Clinique', 'no-reply@clinic.test']],
      );
      assert.equal(m.text?.trim(), body);
      assert.match(m.text ?? '', /حان دورك في عيادة النور/);
      assert.match(String(m.html), /<html lang="ar" dir="rtl">/);
      assert.match(String(m.html), /حان دورك/);
      // the provider id recorded is the message's own Message-ID
      const settle = rec.rpc.find((c) => c.fn === 'notification_email_settle')!;
      assert.deepEqual(settle.args, {
        p_notification_id: NOTIF,
        p_status: 'sent',
        p_provider_id: m.messageId,
        p_error: null,
      });
      const begin = rec.rpc.find((c) => c.fn === 'notification_email_begin')!;
      assert.equal(begin.args.p_recipient, 'amina@example.org');
      assert.equal(begin.args.p_subject, 'عيادة النور: حان دورك');
      // nothing by SMS, no SMS budget touched, no phone anywhere in the email or the logs
      assert.equal(rec.twilio.length, 0);
      assert.ok(!rec.rpc.some((c) => c.fn === 'sms_budget_reserve'));
      const raw = JSON.stringify({ h: [...m.headers], text: m.text, html: m.html });
      assert.ok(!raw.includes('612345678'), 'no phone number in the email');
      assert.ok(!rec.logs.join('\n').includes('612345678'), 'no phone number in the logs');
      assert.ok(!rec.logs.join('\n').includes('amina@example.org'), 'no address in the logs');
    } finally {
      await smtp.close();
    }
  },
);

Deno.test(
  'the outbox sweep sends a French booking confirmation by email with a French subject and the tracking link',
  async () => {
    const smtp = await startSmtp();
    try {
      const item = {
        event_id: 7,
        clinic_id: CLINIC,
        entry_id: ENTRY,
        kind: 'booking_confirmed',
        idempotency_key: `booking_confirmed:${ENTRY}`,
        channel: 'email',
        phone: null,
        email: 'amina@example.org',
        language: 'fr',
        template: FR_TEMPLATE,
        values: { patient_name: 'Amina', clinic_name: 'Clinique A', appointment_time: '02/12 10:00' },
        tracking_token: 'tok123',
      };
      const { rt, rec } = makeRuntime({
        env: { SMTP_URL: smtp.url, SITE_URL: 'https://app.test' },
        rpc: emailRpc('fr', {
          notification_outbox: [item],
          mark_events_notified: 1,
          notification_close_interrupted: 0,
        }),
      });
      const res = await createSweepHandler(rt)(post('/notification-sweep', { min_age_seconds: 0 }, SERVICE));
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { processed: 1, by_status: { sent: 1 }, marked: 1, interrupted: 0 });
      assert.equal(smtp.mails.length, 1);
      const m = smtp.mails[0]!;
      assert.equal(m.subject, 'Clinique A : rendez-vous confirmé');
      assert.equal(
        m.text?.trim(),
        'Bonjour Amina, votre rendez-vous chez Clinique A est confirmé le 02/12 10:00. Suivi : https://app.test/t/tok123',
      );
      assert.match(String(m.html), /<html lang="fr" dir="ltr">/);
      assert.match(String(m.html), /<a href="https:\/\/app.test\/t\/tok123">/);
      assert.equal(rec.twilio.length, 0);
    } finally {
      await smtp.close();
    }
  },
);

Deno.test(
  'a recipient refused by the mail server: settled failed, the reason without the address',
  async () => {
    const smtp = await startSmtp({ reject: true });
    try {
      const { rt, rec } = makeRuntime({ env: { SMTP_URL: smtp.url }, rpc: emailRpc('en') });
      const r = await deliver(
        {
          clinicId: CLINIC,
          kind: 'your_turn',
          idempotencyKey: 'k1',
          body: 'It is your turn.',
          entryId: ENTRY,
          language: 'en',
        },
        sendDeps(rt, rpcFor(rt, 'user-jwt')),
      );
      assert.equal(r.status, 'failed');
      assert.equal(smtp.mails.length, 0);
      const settle = rec.rpc.find((c) => c.fn === 'notification_email_settle')!;
      assert.equal(settle.args.p_status, 'failed');
      assert.match(String(settle.args.p_error), /550|rejected/i);
      assert.ok(!String(settle.args.p_error).includes('amina@example.org'));
      assert.ok(!rec.logs.join('\n').includes('amina@example.org'));
    } finally {
      await smtp.close();
    }
  },
);

Deno.test(
  'same key already recorded: no email sent again; without SMTP_URL: simulated, nothing leaves',
  async () => {
    const smtp = await startSmtp();
    try {
      const dup = makeRuntime({
        env: { SMTP_URL: smtp.url },
        rpc: emailRpc('fr', {
          notification_email_begin: { notification_id: NOTIF, status: 'sent', duplicate: true },
        }),
      });
      const r1 = await deliver(
        {
          clinicId: CLINIC,
          kind: 'your_turn',
          idempotencyKey: 'k1',
          body: 'Votre tour.',
          entryId: ENTRY,
          language: 'fr',
        },
        sendDeps(dup.rt, rpcFor(dup.rt, 'user-jwt')),
      );
      assert.deepEqual([r1.status, r1.duplicate], ['sent', true]);
      assert.ok(!dup.rec.rpc.some((c) => c.fn === 'notification_email_settle'));

      const sim = makeRuntime({ rpc: emailRpc('fr') });
      const r2 = await deliver(
        {
          clinicId: CLINIC,
          kind: 'your_turn',
          idempotencyKey: 'k2',
          body: 'Votre tour.',
          entryId: ENTRY,
          language: 'fr',
        },
        sendDeps(sim.rt, rpcFor(sim.rt, 'user-jwt')),
      );
      assert.equal(r2.status, 'simulated');
      assert.equal(sim.rec.rpc.find((c) => c.fn === 'notification_email_settle')!.args.p_status, 'simulated');
      assert.equal(smtp.mails.length, 0);
      assert.equal(sim.rec.twilio.length, 0);
    } finally {
      await smtp.close();
    }
  },
);

Deno.test('a visit the server routes to SMS still goes by SMS (the browser cannot pick email)', async () => {
  const { rt, rec } = makeRuntime({
    env: { SMTP_URL: 'smtp://127.0.0.1:9' },
    rpc: emailRpc('fr', {
      notification_recipient: {
        phone: PHONE,
        language: 'fr',
        opted_out: false,
        patient_id: null,
        channel: 'sms',
        email: null,
      },
    }),
  });
  const r = await deliver(
    {
      clinicId: CLINIC,
      kind: 'your_turn',
      idempotencyKey: 'k3',
      body: 'Votre tour.',
      entryId: ENTRY,
      language: 'fr',
    },
    sendDeps(rt, rpcFor(rt, 'user-jwt')),
  );
  assert.equal(r.status, 'sent');
  assert.equal(r.channel, undefined);
  assert.equal(rec.twilio.length, 1);
  assert.ok(!rec.rpc.some((c) => c.fn === 'notification_email_begin'));
});

// ── Fallback to SMS (a refused email) ────────────────────────────────────────────────────────────────
const SMS_NOTIF = '44444444-4444-4444-8444-444444444444';
const fallbackRpc = (over: Record<string, unknown> = {}) =>
  emailRpc('fr', {
    notification_email_settle: { notification_id: NOTIF, status: 'failed', attempts: 1 },
    notification_sms_fallback: {
      notification_id: SMS_NOTIF,
      status: 'queued',
      reserved: true,
      duplicate: false,
      alert: false,
      phone: PHONE,
      fallback_of: NOTIF,
    },
    ...over,
  });
const yourTurn = (key: string) => ({
  clinicId: CLINIC,
  kind: 'your_turn' as const,
  idempotencyKey: key,
  body: 'Votre tour, salle 2.',
  entryId: ENTRY,
  language: 'fr' as const,
});

Deno.test(
  'an email the mail server refuses (550) is sent by SMS instead: email settled failed, then one SMS to the phone the database gives',
  async () => {
    const smtp = await startSmtp({ reject: true });
    try {
      const { rt, rec } = makeRuntime({ env: { SMTP_URL: smtp.url }, rpc: fallbackRpc() });
      const r = await deliver(yourTurn('your_turn:e1:c9'), sendDeps(rt, rpcFor(rt, 'user-jwt')));
      assert.equal(smtp.mails.length, 0);
      assert.equal(r.status, 'sent');
      assert.equal(r.notification_id, SMS_NOTIF);
      assert.equal(r.fallback_from?.notification_id, NOTIF);
      assert.equal(r.fallback_from?.status, 'failed');
      assert.match(String(r.fallback_from?.error), /550|rejected/i);
      // the order: the email recorded and settled failed BEFORE the SMS is asked for, then Twilio, then its settle
      assert.deepEqual(rec.order, [
        'rpc:notification_recipient',
        'rpc:notification_email_begin',
        'rpc:notification_email_settle',
        'rpc:notification_email_bounced',
        'rpc:notification_sms_fallback',
        'twilio',
        'rpc:sms_budget_settle',
      ]);
      assert.equal(rec.rpc.find((c) => c.fn === 'notification_email_settle')!.args.p_status, 'failed');
      // a hard bounce: recorded on the email (and by the database on the patient's address)
      assert.deepEqual(rec.rpc.find((c) => c.fn === 'notification_email_bounced')!.args, {
        p_notification_id: NOTIF,
      });
      const fb = rec.rpc.find((c) => c.fn === 'notification_sms_fallback')!;
      assert.deepEqual(fb.args, {
        p_notification_id: NOTIF,
        p_segments: 1,
        p_cost: 0.25,
        p_body: 'Votre tour, salle 2.',
      });
      assert.equal(rec.twilio.length, 1);
      assert.equal(rec.twilio[0]!.form.To, PHONE);
      assert.equal(rec.twilio[0]!.form.Body, 'Votre tour, salle 2.');
      const settle = rec.rpc.find((c) => c.fn === 'sms_budget_settle')!;
      assert.deepEqual([settle.args.p_notification_id, settle.args.p_status], [SMS_NOTIF, 'sent']);
      assert.ok(!rec.logs.join('\n').includes('612345678'), 'no phone number in the logs');
      assert.ok(!rec.logs.join('\n').includes('amina@example.org'), 'no address in the logs');
    } finally {
      await smtp.close();
    }
  },
);

Deno.test('the fallback SMS already recorded (a second sender): nothing sent again', async () => {
  const smtp = await startSmtp({ reject: true });
  try {
    const { rt, rec } = makeRuntime({
      env: { SMTP_URL: smtp.url },
      rpc: fallbackRpc({
        notification_sms_fallback: {
          notification_id: SMS_NOTIF,
          status: 'sent',
          reserved: false,
          duplicate: true,
          alert: false,
          phone: PHONE,
          fallback_of: NOTIF,
        },
      }),
    });
    const r = await deliver(yourTurn('your_turn:e1:c10'), sendDeps(rt, rpcFor(rt, 'user-jwt')));
    assert.deepEqual([r.status, r.duplicate], ['sent', true]);
    assert.equal(rec.twilio.length, 0);
  } finally {
    await smtp.close();
  }
});

Deno.test('no fallback on a temporary refusal (451): the email stays failed, no SMS', async () => {
  const smtp = await startSmtp({ reject: true, rejectCode: 451 });
  try {
    const { rt, rec } = makeRuntime({ env: { SMTP_URL: smtp.url }, rpc: fallbackRpc() });
    const r = await deliver(yourTurn('your_turn:e1:c11'), sendDeps(rt, rpcFor(rt, 'user-jwt')));
    assert.equal(r.status, 'failed');
    assert.match(String(r.error), /451/);
    assert.ok(!rec.rpc.some((c) => c.fn === 'notification_sms_fallback'));
    assert.ok(!rec.rpc.some((c) => c.fn === 'notification_email_bounced'), 'a 4xx is not a bounce');
    assert.equal(rec.twilio.length, 0);
  } finally {
    await smtp.close();
  }
});

Deno.test(
  'the fallback finds no reachable phone (no phone / STOP): recorded as skipped, nothing sent',
  async () => {
    const smtp = await startSmtp({ reject: true });
    try {
      const { rt, rec } = makeRuntime({
        env: { SMTP_URL: smtp.url },
        rpc: fallbackRpc({
          notification_sms_fallback: {
            notification_id: SMS_NOTIF,
            status: 'skipped',
            duplicate: false,
            reserved: false,
            phone: null,
            fallback_of: NOTIF,
            skip_reason: 'opted_out',
          },
        }),
      });
      const r = await deliver(yourTurn('your_turn:e1:c12'), sendDeps(rt, rpcFor(rt, 'user-jwt')));
      assert.equal(r.status, 'opted_out');
      assert.equal(r.fallback_from?.notification_id, NOTIF);
      assert.equal(rec.twilio.length, 0);
    } finally {
      await smtp.close();
    }
  },
);

// ── One-click unsubscribe (RFC 8058) ─────────────────────────────────────────────────────────────────
const PATIENT = '55555555-5555-4555-8555-555555555555';

Deno.test(
  'every email carries List-Unsubscribe (a signed link for this patient) and List-Unsubscribe-Post One-Click',
  async () => {
    const smtp = await startSmtp();
    try {
      const { rt } = makeRuntime({
        env: { SMTP_URL: smtp.url },
        rpc: emailRpc('en', {
          notification_recipient: {
            phone: PHONE,
            language: 'en',
            opted_out: false,
            patient_id: PATIENT,
            channel: 'email',
            email: 'amina@example.org',
          },
        }),
      });
      const r = await deliver(
        { ...yourTurn('k-unsub'), language: 'en' },
        sendDeps(rt, rpcFor(rt, 'user-jwt')),
      );
      assert.equal(r.status, 'sent');
      const m = smtp.mails[0]!;
      assert.equal(
        m.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line,
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
      );
      const raw = m.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
      const url = new URL(/<([^>]+)>/.exec(raw)![1]!);
      assert.equal(url.origin + url.pathname, 'http://supa.test/functions/v1/email-unsubscribe');
      const token = url.searchParams.get('token');
      // verifiable with the server's secret (here the service role key), and bound to this patient
      assert.equal(await verifyUnsubscribe(SERVICE, token), PATIENT);
      assert.equal(await verifyUnsubscribe('another-secret', token), null);
    } finally {
      await smtp.close();
    }
  },
);

Deno.test(
  'email-unsubscribe: a signed token unsubscribes (POST One-Click); a forged, altered or missing one is refused with its code',
  async () => {
    const { rt, rec } = makeRuntime({ rpc: okRpc({ email_unsubscribe: { already: false } }) });
    const handler = createUnsubscribeHandler(rt);
    const link = (token: string) => `http://fn.test/email-unsubscribe?token=${encodeURIComponent(token)}`;
    const { signUnsubscribe } = await import('./unsubscribe.ts');
    const good = await signUnsubscribe(SERVICE, PATIENT);
    const oneClick = (token: string) =>
      handler(
        new Request(link(token), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        }),
      );
    const ok = await oneClick(good);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { unsubscribed: true, already: false });
    const call = rec.rpc.find((c) => c.fn === 'email_unsubscribe')!;
    assert.deepEqual(call.args, { p_patient_id: PATIENT });
    assert.equal(call.auth, `Bearer ${SERVICE}`);

    const other = '66666666-6666-4666-8666-666666666666';
    const forged = [
      `${other}.${good.split('.')[1]}`, // another patient's id with this signature
      await signUnsubscribe('not-the-secret', PATIENT), // signed with another key
      `${good.slice(0, -2)}xy`, // signature altered
      PATIENT, // no signature
      '',
    ];
    for (const t of forged) {
      const res = await oneClick(t);
      assert.equal(res.status, 400, t);
      assert.equal(((await res.json()) as { code: string }).code, 'EMAIL.UNSUBSCRIBE_INVALID');
    }
    assert.equal(rec.rpc.filter((c) => c.fn === 'email_unsubscribe').length, 1);
    // GET (a person or a link scanner): a page with a button, nothing changed
    const page = await handler(new Request(link(good)));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post">/);
    assert.equal(rec.rpc.filter((c) => c.fn === 'email_unsubscribe').length, 1);
  },
);
