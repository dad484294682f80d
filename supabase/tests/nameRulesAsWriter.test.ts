/**
 * mreview26 #1: the name rules run inside the WRITER's rights — the clinics/profiles triggers are security invoker,
 * so every private helper they reach (clinic_name_allowed → spelled_contact_free, person_name_no_contact → …) must be
 * executable by the roles that write names. fix26c's private.spelled_contact_free was revoked from authenticated: an
 * owner's rename of the clinic and a staff member's PATCH of their own name answered 42501 "permission denied for
 * function" instead of saving (or the coded refusal). Tests that call the rules as the database owner could not see it.
 * On PGlite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { tryAsActor } from './helpers/sql';
import { outcomeCode, useWorldDb } from './helpers/worldDb';

describe.each(DB_KINDS)('name rules as the writer on %s', (kind) => {
  const t = useWorldDb(kind);
  const write = (sql: string, params: unknown[]) =>
    tryAsActor(t.db, ACTORS.ownerA, async (tx) => (await tx.query(sql, params)).rows.length);

  it("the owner renames the clinic: a clean name is saved, a spelled phone number is refused with the rule's code", async () => {
    const renamed = await write(`update public.clinics set name = $2 where id = $1 returning id`, [
      ID.clinicA,
      'Cabinet Médical Anfa — Centre des Quatre Saisons',
    ]);
    expect(outcomeCode(renamed)).toBe('ok');
    expect(renamed.ok && renamed.value).toBe(1);
    const refused = await write(`update public.clinics set name = $2 where id = $1 returning id`, [
      ID.clinicA,
      'Cabinet sifr sta sta wahed jouj tlata rb3a khamsa',
    ]);
    expect(outcomeCode(refused)).not.toMatch(/^42501/);
    expect(outcomeCode(refused)).toMatch(/NAME_NOT_ALLOWED/);
  });

  it('a signed-in member changes their own name: saved; a handle is refused with the rule’s code', async () => {
    const saved = await write(`update public.profiles set full_name = $2 where id = $1 returning id`, [
      ACTORS.ownerA.sub,
      'Karim Alaoui',
    ]);
    expect(outcomeCode(saved)).toBe('ok');
    expect(saved.ok && saved.value).toBe(1);
    const refused = await write(`update public.profiles set full_name = $2 where id = $1 returning id`, [
      ACTORS.ownerA.sub,
      'Karim @evilbot',
    ]);
    expect(outcomeCode(refused)).not.toMatch(/^42501/);
    expect(outcomeCode(refused)).toMatch(/NAME_NOT_ALLOWED/);
  });
});
