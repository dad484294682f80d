import type { DbTx } from '../../local/db/types';
import { ACTORS } from './world';

/**
 * The world's owner A and receptionist A get confirmed phones, for tests where they book as patients: a patient's
 * own booking (book_appointment, book_fluid_place, join_queue_remotely) needs one (abuse17). The world's patients
 * have theirs already.
 */
export const staffAsPatients = (tx: DbTx) =>
  tx.query(
    `update auth.users set phone = '2126990000' || (case id when $1::uuid then '01' else '02' end),
                           phone_confirmed_at = now()
      where id in ($1::uuid, $2::uuid)`,
    [ACTORS.ownerA.sub, ACTORS.recepA.sub],
  );
