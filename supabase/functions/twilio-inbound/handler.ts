/**
 * POST /functions/v1/twilio-inbound — a patient's SMS reply (Twilio's incoming-message webhook).
 * Signature verified like the status callback (403 otherwise, nothing changed). The keywords of
 * DOMAIN.md — RETARD / LATE / متأخر, ANNULER / CANCEL / إلغاء, STOP — are applied by sms_inbound_apply
 * to the sender's visit today at the clinic whose own number was written to (To), else — the shared platform
 * sender — at the one clinic without an own number where they have a visit today (several: nothing is guessed,
 * the answer says so; STOP: opt-out of the records of those same clinics; docs/security.md), and the answer is TwiML
 * with the confirmation in the patient's language (the language they wrote in, else their profile's,
 * else French). Anything else gets the help text.
 *
 * Waitlist offers (issue 17, rule W6): a reply 1 / OUI / YES / نعم (2 / NON / NO / لا declines) from the phone
 * of a patient holding a live offer is applied by sms_waitlist_reply — the My visits button's path
 * (private.waitlist_accept), exactly once under the day queue's lock. Taking the slot is confirmed by the new
 * booking's confirmation SMS through the outbox (so the TwiML answer is empty); a decline, a second reply, an
 * ended offer or a number without one gets a short answer in the patient's language. Nothing personal is
 * logged (the phone masked, no names, no times).
 *
 * WhatsApp (From `whatsapp:+…`): every inbound message opens the 24-hour customer service window for that
 * number with the clinics that send from the number it was written to (`To`: a clinic's own WhatsApp sender,
 * else the platform's TWILIO_WHATSAPP_FROM) — whatsapp_inbound_apply; STOP there opts the number out of WhatsApp
 * only — SMS stays allowed; START (UNSTOP, DÉMARRER, ابدأ) takes it back. RETARD / ANNULER work as by SMS.
 */
import type { Runtime } from '../_shared/context.ts';
import { rpcFor } from '../_shared/context.ts';
import { fail } from '../_shared/http.ts';
import { normalizeInboundText, parseInboundSms, parseOfferReply } from '../_shared/keywords.ts';
import type { OfferAnswer } from '../_shared/keywords.ts';
import { maskPhone } from '../_shared/log.ts';
import { RpcError, supaFromEnv } from '../_shared/rest.ts';
import { formParams, publicFunctionUrl, twiml, verifyTwilioSignature } from '../_shared/twilio.ts';
import { languageOfText, reply } from './replies.ts';
import type { Lang } from './replies.ts';

interface Applied {
  intent: 'late' | 'cancel' | 'stop' | 'start';
  applied: boolean;
  reason: 'no_visit_today' | 'already_called' | 'unknown_sender' | 'ambiguous' | null;
  language: Lang | null;
  clinic_name: string | null;
  ticket: string | null;
}

interface OfferReplied {
  answer: OfferAnswer;
  applied: boolean;
  reason: 'already_taken' | 'expired' | 'no_offer' | 'unknown_sender' | null;
  language: Lang | null;
  clinic_name: string | null;
  ticket: string | null;
  appointment_time: string | null;
}

const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * Take back a STOP: on WhatsApp, the WhatsApp opt-out (whatsapp_inbound_apply); by SMS (names27, mreview26 F7), the
 * SMS opt-out of the records STOP set — sms_inbound_apply's 'start', same clinics as STOP. (Twilio's own opt-out
 * list on a shared number is lifted by Twilio itself when the patient texts START; it still forwards the message.)
 */
const START_WORDS = new Set(['START', 'UNSTOP', 'DEMARRER', 'ابدا']);
const whatsappNumber = (v: string | undefined): string | null => {
  const n = (v ?? '').trim().replace(/^whatsapp:/, '');
  return E164.test(n) ? n : null;
};

/** W6: the sender's answer to their live waitlist offer. */
const answerOffer = async (
  rt: Runtime,
  req: Request,
  from: string,
  answer: OfferAnswer,
  written: Lang | null,
): Promise<Response> => {
  let r: OfferReplied;
  try {
    r = await rpcFor(
      rt,
      supaFromEnv(rt.env).serviceKey,
      req,
    )<OfferReplied>('sms_waitlist_reply', {
      p_from: from,
      p_answer: answer,
    });
  } catch (e) {
    // a refusal inside the move (the offer ended as it was taken): nothing changed, the patient is told so
    if (!(e instanceof RpcError) || e.status !== 409) throw e;
    rt.log.info('waitlist SMS reply refused', { from: maskPhone(from), answer, status: e.status });
    return twiml(reply('offer_expired', written ?? 'fr'));
  }
  const lang: Lang = written ?? r.language ?? 'fr';
  rt.log.info('waitlist SMS reply', { from: maskPhone(from), answer, applied: r.applied, reason: r.reason });
  const v = { clinic: r.clinic_name, ticket: r.ticket, time: r.appointment_time };
  if (r.applied) return twiml(answer === 'accept' ? null : reply('offer_declined', lang, v));
  if (r.reason === 'already_taken') return twiml(reply('offer_already_taken', lang, v));
  if (r.reason === 'expired') return twiml(reply('offer_expired', lang, v));
  return twiml(reply('no_offer', lang));
};

/** names27 (mreview26 F7): an SMS START takes back the SMS STOP of this phone in the clinics STOP reached. */
const startSms = async (
  rt: Runtime,
  req: Request,
  from: string,
  to: string | undefined,
  written: Lang | null,
): Promise<Response> => {
  const t = (to ?? '').trim();
  const r = await rpcFor(
    rt,
    supaFromEnv(rt.env).serviceKey,
    req,
  )<Applied & { opted_in: number }>('sms_inbound_apply', {
    p_from: from,
    p_intent: 'start',
    p_to: E164.test(t) ? t : null,
  });
  rt.log.info('inbound SMS', { from: maskPhone(from), intent: 'start', opted_in: r.opted_in });
  // as STOP: the patient's own language first (START is the same word in every language)
  return twiml(reply('start', r.language ?? written ?? 'fr'));
};

export const createInboundHandler =
  (rt: Runtime) =>
  async (req: Request): Promise<Response> => {
    if (req.method !== 'POST') return fail(405, 'VALIDATION.FAILED', 'POST only');
    const params = await formParams(req);
    const url = publicFunctionUrl(rt.env, 'twilio-inbound', req);
    const ok = await verifyTwilioSignature(
      rt.env.get('TWILIO_AUTH_TOKEN') ?? '',
      url,
      params,
      req.headers.get('x-twilio-signature'),
    );
    if (!ok) {
      rt.log.warn('inbound SMS refused: bad or missing X-Twilio-Signature');
      return fail(403, 'AUTH.FORBIDDEN', 'invalid signature');
    }
    const rawFrom = (params.From ?? '').trim();
    const whatsapp = rawFrom.startsWith('whatsapp:');
    const from = whatsapp ? rawFrom.slice('whatsapp:'.length) : rawFrom;
    const text = params.Body ?? '';
    const intent = parseInboundSms(text);
    const written = languageOfText(normalizeInboundText(text).split(' ')[0] ?? '', text);
    const startWord = START_WORDS.has(normalizeInboundText(text).split(' ')[0] ?? '');
    const start = whatsapp && startWord;
    if (whatsapp && E164.test(from)) {
      const w = await rpcFor(
        rt,
        supaFromEnv(rt.env).serviceKey,
        req,
      )<{
        window_opened: number;
        opted_out: number;
        language: Lang | null;
      }>('whatsapp_inbound_apply', {
        p_from: from,
        p_stop: intent === 'stop',
        p_start: start,
        p_to: whatsappNumber(params.To),
        p_platform_sender: whatsappNumber(rt.env.get('TWILIO_WHATSAPP_FROM')),
      });
      rt.log.info('inbound WhatsApp', {
        from: maskPhone(from),
        intent,
        start,
        window_opened: w.window_opened,
      });
      if (intent === 'stop') return twiml(reply('stop_whatsapp', w.language ?? written ?? 'fr'));
      if (start) return twiml(reply('start_whatsapp', written ?? w.language ?? 'fr'));
    }
    if (!whatsapp && startWord && E164.test(from)) return startSms(rt, req, from, params.To, written);
    const answer = intent === null ? parseOfferReply(text) : null;
    if (answer !== null && E164.test(from)) return answerOffer(rt, req, from, answer, written);
    if (intent === null || !E164.test(from)) {
      rt.log.info('inbound SMS without a keyword', { from: maskPhone(from) });
      return twiml(reply('help', written ?? 'fr'));
    }
    const r = await rpcFor(
      rt,
      supaFromEnv(rt.env).serviceKey,
      req,
    )<Applied>('sms_inbound_apply', {
      p_from: from,
      p_intent: intent,
      // the SMS number the patient wrote to: a clinic's own number picks that clinic; a WhatsApp To is no SMS
      // number (null: every clinic, several with a visit today → nothing applied; docs/security.md)
      p_to: !whatsapp && E164.test((params.To ?? '').trim()) ? (params.To ?? '').trim() : null,
    });
    const lang: Lang = written ?? r.language ?? 'fr';
    rt.log.info('inbound SMS', { from: maskPhone(from), intent, applied: r.applied, reason: r.reason });
    const v = { clinic: r.clinic_name, ticket: r.ticket };
    if (intent === 'stop') return twiml(reply('stop', r.language ?? written ?? 'fr'));
    if (!r.applied) {
      const key =
        r.reason === 'already_called'
          ? 'already_called'
          : r.reason === 'ambiguous'
            ? 'ambiguous'
            : 'no_visit';
      return twiml(reply(key, lang, v));
    }
    return twiml(reply(intent, lang, v));
  };
