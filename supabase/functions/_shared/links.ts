/**
 * The links a patient message carries, rendered by the server in one place (send-sms and the outbox sweep):
 * `{tracking_url}` — the visit's live tracker, `/t/<token>` (the token the database derives for the visit,
 * private.entry_link); `{cancel_url}` — "My visits" (`/me`), where the patient signs in with their phone
 * and cancels (cancelling needs the patient's own session: a link alone never cancels a visit); `{offer_url}` —
 * the same "My visits", where a waitlist offer is accepted (again only in the patient's own session).
 * The app's address is SITE_URL, else the project URL.
 */
import type { Env } from './http.ts';

export const appUrl = (env: Env): string =>
  (env.get('SITE_URL') || env.get('SUPABASE_URL') || '').replace(/\/$/, '');

export const trackingUrl = (env: Env, token: string | null | undefined): string =>
  token ? `${appUrl(env)}/t/${token}` : '';

export const cancelUrl = (env: Env): string => `${appUrl(env)}/me`;

/** The link values of a message (tracking_url empty when the visit has no link the server can render). */
export const linkValues = (
  env: Env,
  token: string | null | undefined,
): { tracking_url: string; cancel_url: string; offer_url: string } => ({
  tracking_url: trackingUrl(env, token),
  cancel_url: cancelUrl(env),
  offer_url: cancelUrl(env),
});
