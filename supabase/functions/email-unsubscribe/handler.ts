/**
 * /functions/v1/email-unsubscribe?token=<signed token> — one-click unsubscribe from a patient's emails
 * (RFC 8058; the List-Unsubscribe header of every email, ../_shared/unsubscribe.ts). No account and no JWT:
 * the signed token is the proof (verify_jwt = false).
 *
 * POST (what a mail client sends, body `List-Unsubscribe=One-Click`; any body is accepted) → the patient
 *   record's email_opt_out is set (public.email_unsubscribe, service role). 200
 *   { unsubscribed: true, already: boolean }; again → 200 with already true (idempotent).
 * GET (a person clicking the link) → a small page in ar/fr/en with a button that POSTs; nothing changes on a
 *   GET (link scanners follow GETs).
 * A missing, malformed, forged or altered token → 400 EMAIL.UNSUBSCRIBE_INVALID, nothing changed. A record
 * since erased → 404 NOT_FOUND.
 * EMAIL.UNSUBSCRIBE_INVALID reaches mail clients and this function's own page (translated there in ar/fr/en); it
 * is also in the app's catalogue (src/services/shared/AppError.ts) and its on-demand error messages.
 */
import type { Runtime } from '../_shared/context.ts';
import { rpcFor } from '../_shared/context.ts';
import { fail, json } from '../_shared/http.ts';
import { RpcError, supaFromEnv } from '../_shared/rest.ts';
import { unsubscribeFromEnv, verifyUnsubscribe } from '../_shared/unsubscribe.ts';

const INVALID = 'EMAIL.UNSUBSCRIBE_INVALID';

const page = (status: number, inner: string): Response =>
  new Response(
    `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
      `<title>QueueMed</title></head><body style="font-family:sans-serif;max-width:32rem;margin:2rem auto">` +
      `${inner}</body></html>`,
    { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } },
  );

export const createUnsubscribeHandler =
  (rt: Runtime) =>
  async (req: Request): Promise<Response> => {
    const cfg = unsubscribeFromEnv(rt.env);
    const token = new URL(req.url).searchParams.get('token');
    const patientId = cfg ? await verifyUnsubscribe(cfg.secret, token) : null;
    if (req.method === 'GET') {
      if (patientId === null)
        return page(
          400,
          `<p lang="fr">Ce lien de désinscription n’est pas valide.</p><p lang="en">This unsubscribe link is not valid.</p>` +
            `<p lang="ar" dir="rtl">رابط إلغاء الاشتراك هذا غير صالح.</p><p><small>${INVALID}</small></p>`,
        );
      return page(
        200,
        `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
          `<p lang="fr">Ne plus recevoir les e-mails de la clinique ?</p><p lang="en">Stop the clinic's emails?</p>` +
          `<p lang="ar" dir="rtl">إيقاف رسائل العيادة الإلكترونية؟</p>` +
          `<button type="submit">Se désinscrire · Unsubscribe · إلغاء الاشتراك</button></form>`,
      );
    }
    if (req.method !== 'POST') return fail(405, 'VALIDATION.FAILED', 'GET or POST only');
    if (patientId === null) {
      rt.log.warn('unsubscribe: token refused', { has_token: token !== null });
      return fail(400, INVALID, 'this unsubscribe link is not valid');
    }
    try {
      const rpc = rpcFor(rt, supaFromEnv(rt.env).serviceKey, req);
      const r = await rpc<{ already: boolean }>('email_unsubscribe', { p_patient_id: patientId });
      rt.log.info('unsubscribed from email', { already: r.already });
      if ((req.headers.get('accept') ?? '').includes('text/html'))
        return page(
          200,
          `<p lang="fr">C’est fait : vous ne recevrez plus d’e-mails.</p><p lang="en">Done: you will get no more emails.</p>` +
            `<p lang="ar" dir="rtl">تم: لن تصلك رسائل إلكترونية بعد الآن.</p>`,
        );
      return json(200, { unsubscribed: true, already: r.already });
    } catch (e) {
      if (e instanceof RpcError && e.status === 404) return fail(404, 'NOT_FOUND', 'no such patient record');
      throw e;
    }
  };
