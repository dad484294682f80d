import type { DbTx } from '../../local/db/types';

/**
 * The state GoTrue's email change leaves once the code sent to the address was entered (PUT /user, then
 * POST /verify type email_change — supabase/local/auth/gotrue.ts verifyChange): the address is the account's
 * email, with email_confirmed_at. That proof is what lets the clinic's messages go to a patient's notification
 * email (email18); test/security/notificationEmailProof.test.ts drives the real endpoints. For SQL tests only.
 */
export const proveEmail = (tx: DbTx, userId: string, address: string) =>
  tx.query(
    `update auth.users set email = $2, email_confirmed_at = now(), email_change = '', email_change_token_new = '',
                           email_change_sent_at = null
      where id = $1::uuid`,
    [userId, address],
  );
