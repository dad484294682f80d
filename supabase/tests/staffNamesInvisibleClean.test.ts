/**
 * sec20 item 1 (20261220400001_staff_names_invisible_letters_clean.sql): the names rule of 20261219700002 (no
 * invisible letters, no stacks of marks) cleaned patients' and profiles' stored names but not staff names. A pending
 * invitation whose name the rule now refuses answered 422 VALIDATION.FAILED when accepted (the invitee could never
 * join), and a member's stored name the rule refuses could not be written again. Now the stored names are cleaned
 * once with the same normal form, and accepting an invitation stores its name cleaned whatever the rule says then.
 * The dirty rows are made as before the rule (its trigger disabled inside the rolled-back case). Clock pinned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, TOKENS, U } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const ACCEPT = `select public.accept_staff_invitation($1) as r`;
const zalgo = (n: number) =>
  Array.from({ length: n }, (_, i) => String.fromCodePoint(0x300 + (i % 0x30))).join('');

/** Writes an invitation's name as a row stored before the rule would have been (the trigger off for one statement). */
async function storeInvitationNameAsBefore(tx: DbTx, name: string): Promise<void> {
  await tx.query('alter table public.staff_invitations disable trigger staff_invitations_display_name_clean');
  await tx.query('update public.staff_invitations set display_name = $2 where id = $1', [
    ID.invitationA,
    name,
  ]);
  await tx.query('alter table public.staff_invitations enable trigger staff_invitations_display_name_clean');
}

const memberName = async (tx: DbTx) =>
  (
    await tx.query<{ display_name: string }>(
      'select display_name from public.clinic_members where clinic_id = $1 and user_id = $2',
      [ID.clinicA, U.patientB],
    )
  ).rows.map((r) => r.display_name);

describe.each(DB_KINDS)('staff names stored before the invisible-letters rule, on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('an invitation whose stored name the rule now refuses is accepted: the invitee joins under the cleaned name', () =>
    rolledBack(t.db, async (tx) => {
      await storeInvitationNameAsBefore(tx, `Dr Am\u3164ine Z${zalgo(12)}ia\u2800`);
      const r = await as<{ role: string }>(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA]);
      expect(r.role).toBe('receptionist');
      expect(await memberName(tx)).toEqual([`Dr Am ine Z${zalgo(3)}ia`.normalize('NFC')]);
    }));

  it('an invitation whose name has nothing visible left joins as "?" (the owner renames them), never a 422', () =>
    rolledBack(t.db, async (tx) => {
      await storeInvitationNameAsBefore(tx, '\u3164\u2800');
      await as(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA]);
      expect(await memberName(tx)).toEqual(['?']);
    }));

  it('a clean invitation name is stored exactly as before (Arabic with harakat, emoji)', () =>
    rolledBack(t.db, async (tx) => {
      const name =
        '\u062F. \u0645\u064F\u062D\u064E\u0645\u0651\u064E\u062F \u{1F469}\u{1F3FD}\u200D\u2695\uFE0F';
      await tx.query('update public.staff_invitations set display_name = $2 where id = $1', [
        ID.invitationA,
        name,
      ]);
      await as(tx, ACTORS.patientB, ACCEPT, [TOKENS.invitationA]);
      expect(await memberName(tx)).toEqual([name.normalize('NFC')]);
    }));

  it('the cleaning the migration applied to stored names: same normal form as the patients’ (strip_person_name)', () =>
    rolledBack(t.db, async (tx) => {
      const cases: [string, string][] = [
        ['Salma', 'Salma'],
        [`Am\uFFA0ine`, 'Am ine'],
        [`Ami\u034Fne\u180B`, 'Ami ne'],
        [`Z${zalgo(30)}o`, `Z${zalgo(3)}o`.normalize('NFC')],
        ['\u0301', '?'],
        ['\u3164', '?'],
      ];
      const { rows } = await tx.query<{ got: string[] }>(
        `select array_agg(private.clean_display_name(n) order by o) as got from unnest($1::text[]) with ordinality u(n, o)`,
        [cases.map((c) => c[0])],
      );
      expect(rows[0]!.got).toEqual(cases.map((c) => c[1]));
      // and what it gives is accepted by the rule the triggers apply
      for (const [, clean] of cases)
        expect(
          (await tx.query<{ ok: boolean }>('select private.is_clean_person_name($1) as ok', [clean])).rows[0]!
            .ok,
        ).toBe(true);
    }));

  it('nobody outside calls the helper, and a typed dirty name is still refused (the rule is unchanged)', () =>
    rolledBack(t.db, async (tx) => {
      for (const actor of [ACTORS.anon, ACTORS.patientA, ACTORS.ownerA])
        expect(
          (await refused(tx, actor, `select private.clean_display_name('x') as r`, [])).slice(0, 5),
        ).toBe('42501');
      expect(
        await refused(tx, null, 'update public.staff_invitations set display_name = $2 where id = $1', [
          ID.invitationA,
          `Am\u3164ine`,
        ]),
      ).toBe('PT422 VALIDATION.FAILED');
    }));
});
