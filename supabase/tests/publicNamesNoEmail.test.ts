/**
 * fix21d (20261221950001_public_names_never_email.sql), on PGlite and PostgreSQL: a public surface never shows an
 * e-mail address. create_clinic no longer names its owner after the account's e-mail (nor after a profile name that
 * is an address): the profile's name, else the neutral 'Owner'. The public readers — the tracker (get_visit_live,
 * get_tracker_view: anyone holding the link) and the public clinic page's doctor list (get_public_clinic, anon) —
 * answer null for a stored name that holds '@', whatever wrote it. Every call is rolled back.
 */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import { ACTORS, ID, TOKENS, U } from './helpers/world';
import { mustSucceed, rpcAs, useWorldDb } from './helpers/worldDb';

type Live = { doctor_name?: string | null };
type Page = { practitioners: { id: string; display_name: string | null }[] };

const OWNER_OF_NEW = `select m.display_name from public.clinic_members m
  join public.clinics c on c.id = m.clinic_id where c.slug = 'cabinet-sans-nom' and m.role = 'owner'`;

describe.each(DB_KINDS)('public names are never an e-mail on %s', (kind) => {
  const t = useWorldDb(kind);

  it('create_clinic without a display name: the profile’s name, else “Owner” — never the e-mail', async () => {
    const create = (actor: (typeof ACTORS)[keyof typeof ACTORS], setup = '') =>
      rpcAs(
        t.db,
        actor,
        'create_clinic',
        { p_name: 'Cabinet sans nom', p_slug: 'cabinet-sans-nom' },
        { setup, after: OWNER_OF_NEW },
      );
    // recepA's account has an e-mail (recep.a@test.ma) and no name: before, the owner was named recep.a@test.ma
    expect(mustSucceed(await create(ACTORS.recepA)).after).toEqual([{ display_name: 'Owner' }]);
    // a profile name that is itself an address is not used either
    expect(
      mustSucceed(
        await create(
          ACTORS.recepA,
          // a name stored before rule P1 (fix21a: the profiles name rule refuses an address now — a trigger on the
          // written name since sec25 — and since fix23a its normalising trigger too: both set aside for this one
          // write, as a row from before the rule)
          `set local session_replication_role = replica;
           update public.profiles set full_name = 'recep.a@test.ma' where id = '${U.recepA}';
           set local session_replication_role = origin;`,
        ),
      ).after,
    ).toEqual([{ display_name: 'Owner' }]);
    // a real profile name still names the owner; a typed display name wins
    expect(mustSucceed(await create(ACTORS.patientA)).after).toEqual([{ display_name: 'Amina Patient' }]);
    const typed = await rpcAs(
      t.db,
      ACTORS.recepA,
      'create_clinic',
      { p_name: 'Cabinet sans nom', p_slug: 'cabinet-sans-nom', p_display_name: 'د. سلمى' },
      { after: OWNER_OF_NEW },
    );
    expect(mustSucceed(typed).after).toEqual([{ display_name: 'د. سلمى' }]);
  });

  it('the tracker answers doctor_name null for a stored name holding an e-mail; a plain name is unchanged', async () => {
    const doctorNamed = (name: string) =>
      `update public.queue_entries set practitioner_id = '${ID.memberPractA}' where id = '${ID.entryA}';
       set local session_replication_role = replica; -- a name stored before rule P1 (its trigger refuses it now)
       update public.clinic_members set display_name = $q$${name}$q$ where id = '${ID.memberPractA}';
       set local session_replication_role = origin;`;
    for (const fn of ['get_visit_live', 'get_tracker_view'] as const) {
      for (const name of ['pract.a@test.ma', 'Dr Salma <salma@clinic.ma>']) {
        const v = mustSucceed(
          await rpcAs<Live>(
            t.db,
            ACTORS.anon,
            fn,
            { p_tracking_token: TOKENS.trackingA },
            { setup: doctorNamed(name) },
          ),
        ).r;
        expect(v).toHaveProperty('doctor_name', null);
        expect(JSON.stringify(v)).not.toContain('@');
      }
      const plain = mustSucceed(
        await rpcAs<Live>(
          t.db,
          ACTORS.anon,
          fn,
          { p_tracking_token: TOKENS.trackingA },
          { setup: doctorNamed(`د. فاطمة 'O''Brien'; --`) },
        ),
      ).r;
      expect(plain.doctor_name).toBe(`د. فاطمة 'O''Brien'; --`);
    }
  });

  it('the public clinic page lists a doctor whose stored name holds an e-mail with a null name', async () => {
    const page = mustSucceed(
      await rpcAs<Page>(
        t.db,
        ACTORS.anon,
        'get_public_clinic',
        { p_slug: 'clinic-a' },
        {
          // a name stored before rule P1 (its trigger refuses it now)
          setup: `set local session_replication_role = replica;
                  update public.clinic_members set display_name = 'owner.a@test.ma' where id = '${ID.memberOwnerA}';
                  set local session_replication_role = origin;`,
        },
      ),
    ).r;
    const owner = page.practitioners.find((p) => p.id === ID.memberOwnerA);
    expect(owner).toEqual({ id: ID.memberOwnerA, display_name: null });
    expect(page.practitioners.find((p) => p.id === ID.memberPractA)?.display_name).toBe('Dr Pract A');
    expect(JSON.stringify(page)).not.toContain('@');
  });
});
