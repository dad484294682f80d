/**
 * secmisc18 (20261217300003_staff_display_name_clean.sql): a staff member's and an invitation's display name — shown
 * to patients on the board, the tracker and in SMS — follows the patients' name rule: the name as typed may not hold
 * control, invisible or text-direction characters (422 VALIDATION.FAILED), and it is stored NFC with one space
 * between words. Every writer goes through one trigger: the invitation RPC, accepting (it copies the name),
 * create_clinic, an owner's column UPDATE. On PGlite and PostgreSQL; every call is rolled back.
 */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { mustSucceed, outcomeCode, rpcAs, useWorldDb } from './helpers/worldDb';
import { tryAsActor } from './helpers/sql';

const REVERSED = '\u202EizaT enimA'; // RIGHT-TO-LEFT OVERRIDE: shown as "Amine Taziz"
const BAD = [
  REVERSED,
  'Dr\u2066 Salma\u2069',
  'Dr Salma\u200B',
  'Dr\u200E Salma',
  'Dr Salma\u0007',
  'Dr Salma\u2028B',
  '\u200DDr Salma',
];

describe.each(DB_KINDS)('staff display names on %s', (kind) => {
  const t = useWorldDb(kind);
  const invite = (name: string) =>
    rpcAs<{ invitation_id?: string; id?: string }>(
      t.db,
      ACTORS.ownerA,
      'create_staff_invitation',
      {
        p_clinic_id: ID.clinicA,
        p_role: 'receptionist',
        p_display_name: name,
        p_email: 'new.desk@example.org',
      },
      { after: `select display_name from public.staff_invitations where email = 'new.desk@example.org'` },
    );

  it('an invitation with a bidi, invisible or control character in its name is refused (422) and nothing is stored', async () => {
    for (const name of BAD) {
      const o = await invite(name);
      expect(outcomeCode(o), JSON.stringify(name)).toBe('PT422 VALIDATION.FAILED');
    }
  });

  it('an invitation’s name is stored normalised: NFC, one space between words, trimmed; Persian ZWNJ kept', async () => {
    const decomposed = '  Dr   He\u0301le\u0300ne\tB. ';
    expect(mustSucceed(await invite(decomposed)).after).toEqual([{ display_name: 'Dr Hélène B.' }]);
    const persian = 'علی\u200Cزاده';
    expect(mustSucceed(await invite(persian)).after).toEqual([{ display_name: persian }]);
  });

  it('a member’s name: create_clinic and an owner’s UPDATE are held to the same rule', async () => {
    const created = await rpcAs(t.db, ACTORS.patientA, 'create_clinic', {
      p_name: 'Cabinet Neuf',
      p_slug: 'cabinet-neuf-names',
      p_display_name: REVERSED,
    });
    expect(outcomeCode(created)).toBe('PT422 VALIDATION.FAILED');
    const update = (name: string) =>
      tryAsActor(t.db, ACTORS.ownerA, async (tx) => {
        await tx.query(`update public.clinic_members set display_name = $1 where id = $2`, [
          name,
          ID.memberPractA,
        ]);
        await tx.exec('reset role');
        return (
          await tx.query<{ display_name: string }>(
            `select display_name from public.clinic_members where id = $1`,
            [ID.memberPractA],
          )
        ).rows;
      });
    for (const name of BAD)
      expect(outcomeCode(await update(name)), JSON.stringify(name)).toBe('PT422 VALIDATION.FAILED');
    expect(mustSucceed(await update(' Dr  Salma\nBenali '))).toEqual([{ display_name: 'Dr Salma Benali' }]);
  });

  it('even the database owner cannot store a reversed staff name (the trigger is the rule, not the RPCs)', async () => {
    const o = await tryAsActor(t.db, ACTORS.service, async (tx) => {
      await tx.exec('reset role');
      await tx.query(`update public.clinic_members set display_name = $1 where id = $2`, [
        REVERSED,
        ID.memberRecepA,
      ]);
    });
    expect(outcomeCode(o)).toBe('PT422 VALIDATION.FAILED');
  });
});
