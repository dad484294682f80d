import type { DbTx } from '../../local/db/types';

/**
 * The state QueueMed's own email proof leaves once the code it mailed was entered (mail22:
 * public.request_notification_email_code, then public.confirm_notification_email): the address is among the
 * account's proved notification addresses (private.notification_email_proofs). That proof — not GoTrue's
 * email_confirmed_at, which a self-hosted sign-up sets without any proof — lets the clinic's messages go to a
 * patient's notification email. supabase/tests/notificationEmailOwnCode.test.ts drives the real functions. For SQL
 * tests only.
 */
export const proveEmail = (tx: DbTx, userId: string, address: string) =>
  tx.query(
    `insert into private.notification_email_proofs (user_id, email, proved_at) values ($1::uuid, lower($2), now())
     on conflict (user_id, email) do nothing`,
    [userId, address],
  );
