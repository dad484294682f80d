/**
 * Issue 17, dir20 (20261220100001_clinic_directory.sql; docs/domain-rules.md D1–D6): the public clinic directory.
 * search_clinic_directory answers anyone only listed clinics that are not held for SMS approval, only their public
 * columns, ≤ 20 a page with an offset ≤ 200; % _ \ in the query are plain characters; Latin is matched without case
 * or accents and Arabic without diacritics or hamza forms. set_clinic_listing: owners/admins only; a listed clinic
 * has a city. On PGlite and PostgreSQL; no clock involved.
 */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { tryAsActor } from './helpers/sql';
import { mustSucceed, outcomeCode, rpcAs, useWorldDb } from './helpers/worldDb';

interface Page {
  items: {
    id: string;
    slug: string;
    name: string;
    city: string;
    specialty: string | null;
    address: string | null;
  }[];
  next_offset: number | null;
}

// 25 more clinics (superuser set-up, rolled back with each case): listed, in Marrakech, dentists
const MANY = `insert into public.clinics (slug, name, city, specialty, directory_listed)
  select 'many-' || n, 'Cabinet ' || lpad(n::text, 2, '0'), 'Marrakech', 'dentistry', true
    from generate_series(1, 25) n;`;

// clinic A listed in Casablanca (general), clinic B listed but held for SMS approval, one more unlisted clinic
const WORLD = `
  update public.clinics set city = 'Casablanca', specialty = 'general', directory_listed = true,
                            address = '12 rue Atlas' where id = '${ID.clinicA}';
  update public.clinics set city = 'Casablanca', specialty = 'general', directory_listed = true, sms_held = true
   where id = '${ID.clinicB}';
  insert into public.clinics (slug, name, city, specialty, directory_listed, phone)
    values ('unlisted-c', 'Clinique Cachée', 'Casablanca', 'general', false, '+212522111111');`;

describe.each(DB_KINDS)('the clinic directory on %s', (kind) => {
  const t = useWorldDb(kind);
  const search = (
    actor: (typeof ACTORS)[keyof typeof ACTORS],
    args: Record<string, unknown>,
    setup = WORLD,
  ) => rpcAs<Page>(t.db, actor, 'search_clinic_directory', args, { setup });

  it('D1/D2 anon sees only listed clinics, never an unlisted or an SMS-held one, and only public columns', async () => {
    for (const actor of [ACTORS.anon, ACTORS.patientA, ACTORS.ownerB]) {
      const page = mustSucceed(await search(actor, {})).r;
      expect(page).toEqual({
        items: [
          {
            id: ID.clinicA,
            slug: 'clinic-a',
            name: 'Clinique A',
            city: 'Casablanca',
            specialty: 'general',
            address: '12 rue Atlas',
          },
        ],
        next_offset: null,
      });
    }
    // by city too: the held clinic B and the unlisted one stay out
    const byCity = mustSucceed(await search(ACTORS.anon, { p_city: 'casa' })).r;
    expect(byCity.items.map((c) => c.slug)).toEqual(['clinic-a']);
    // once the operator approves clinic B, its own choice applies
    const approved = mustSucceed(
      await search(
        ACTORS.anon,
        {},
        `${WORLD} update public.clinics set sms_held = false where id = '${ID.clinicB}';`,
      ),
    ).r;
    expect(approved.items.map((c) => c.slug)).toEqual(['clinic-a', 'clinic-b']);
  });

  it('D5 a page holds at most 20 clinics; next_offset walks on; the offset is capped at 200', async () => {
    const first = mustSucceed(await search(ACTORS.anon, { p_city: 'Marrakech', p_limit: 500 }, MANY)).r;
    expect(first.items).toHaveLength(20);
    expect(first.items[0]!.name).toBe('Cabinet 01');
    expect(first.next_offset).toBe(20);
    const second = mustSucceed(await search(ACTORS.anon, { p_city: 'Marrakech', p_offset: 20 }, MANY)).r;
    expect(second.items.map((c) => c.name)).toEqual([
      'Cabinet 21',
      'Cabinet 22',
      'Cabinet 23',
      'Cabinet 24',
      'Cabinet 25',
    ]);
    expect(second.next_offset).toBeNull();
    expect(outcomeCode(await search(ACTORS.anon, { p_offset: 201 }))).toBe('PT422 VALIDATION.FAILED');
    expect(outcomeCode(await search(ACTORS.anon, { p_offset: -1 }))).toBe('PT422 VALIDATION.FAILED');
    expect(outcomeCode(await search(ACTORS.anon, { p_limit: 0 }))).toBe('PT422 VALIDATION.FAILED');
  });

  it('D5 the query and the city are at most 80 characters; the specialty is a known code', async () => {
    expect(outcomeCode(await search(ACTORS.anon, { p_query: 'a'.repeat(81) }))).toBe(
      'PT422 VALIDATION.FAILED',
    );
    expect(outcomeCode(await search(ACTORS.anon, { p_city: 'a'.repeat(81) }))).toBe(
      'PT422 VALIDATION.FAILED',
    );
    expect(outcomeCode(await search(ACTORS.anon, { p_query: 'a'.repeat(80) }))).toBe('ok');
    expect(outcomeCode(await search(ACTORS.anon, { p_specialty: "general' or 1=1 --" }))).toBe(
      'PT422 VALIDATION.FAILED',
    );
    const dentists = mustSucceed(
      await search(ACTORS.anon, { p_specialty: 'dentistry' }, `${WORLD} ${MANY}`),
    ).r;
    expect(dentists.items.every((c) => c.specialty === 'dentistry')).toBe(true);
    expect(dentists.items).toHaveLength(20);
    expect(mustSucceed(await search(ACTORS.anon, { p_specialty: 'cardiology' })).r.items).toEqual([]);
  });

  it('D6 % _ and \\ in the query are plain characters, and SQL in it is only text', async () => {
    const setup = `${WORLD}
      insert into public.clinics (slug, name, city, directory_listed) values
        ('pct', 'Centre 100% Santé', 'Rabat', true),
        ('under', 'Cabinet_Nord', 'Rabat', true),
        ('slash', 'Dr A\\B', 'Rabat', true);`;
    const names = async (q: string) =>
      mustSucceed(await search(ACTORS.anon, { p_query: q }, setup)).r.items.map((c) => c.slug);
    expect(await names('%')).toEqual(['pct']);
    expect(await names('_')).toEqual(['under']);
    expect(await names('\\')).toEqual(['slash']);
    expect(await names('%%')).toEqual([]);
    expect(await names("'; drop table public.clinics; --")).toEqual([]);
  });

  it('D6 Latin without case or accents; Arabic without diacritics and hamza forms; empty lists all', async () => {
    const setup = `${WORLD}
      insert into public.clinics (slug, name, city, specialty, directory_listed) values
        ('medecine', 'Cabinet de Médecine Générale', 'Fès', 'general', true),
        ('arabic', 'عيادة الأمل', 'الدار البيضاء', 'paediatrics', true),
        ('emoji', 'Clinique 🌿 Œillet', 'Tanger', null, true);`;
    const slugs = async (args: Record<string, unknown>) =>
      mustSucceed(await search(ACTORS.anon, args, setup)).r.items.map((c) => c.slug);
    expect(await slugs({ p_query: 'MEDECINE generale' })).toEqual(['medecine']);
    expect(await slugs({ p_query: 'médecine' })).toEqual(['medecine']);
    // decomposed é (e + U+0301) typed on some keyboards
    expect(await slugs({ p_query: 'Me\u0301decine' })).toEqual(['medecine']);
    expect(await slugs({ p_city: 'fes' })).toEqual(['medecine']);
    expect(await slugs({ p_query: 'الأمل' })).toEqual(['arabic']);
    // without the hamza, and with harakat: the same clinic
    expect(await slugs({ p_query: 'الامل' })).toEqual(['arabic']);
    expect(await slugs({ p_query: 'عِيَادَة' })).toEqual(['arabic']);
    expect(await slugs({ p_city: 'البيضاء' })).toEqual(['arabic']);
    expect(await slugs({ p_query: 'oeillet' })).toEqual(['emoji']);
    expect(await slugs({ p_query: '🌿' })).toEqual(['emoji']);
    expect(await slugs({ p_query: '  ', p_city: '' })).toEqual(['medecine', 'clinic-a', 'emoji', 'arabic']);
  });

  it('D3/D4 only an owner or admin sets the listing; a listed clinic has a city; staff read it', async () => {
    const set = (actor: (typeof ACTORS)[keyof typeof ACTORS], args: Record<string, unknown>) =>
      rpcAs<Record<string, unknown>>(t.db, actor, 'set_clinic_listing', {
        p_clinic_id: ID.clinicA,
        p_city: 'Rabat',
        p_specialty: 'ent',
        p_listed: true,
        ...args,
      });
    const done = mustSucceed(
      await rpcAs<Record<string, unknown>>(
        t.db,
        ACTORS.ownerA,
        'set_clinic_listing',
        { p_clinic_id: ID.clinicA, p_city: '  Rabat  ', p_specialty: 'ent', p_listed: true },
        { after: `select city, specialty, directory_listed from public.clinics where id = '${ID.clinicA}'` },
      ),
    );
    expect(done.r).toEqual({ city: 'Rabat', specialty: 'ent', listed: true, sms_held: false });
    expect(done.after).toEqual([{ city: 'Rabat', specialty: 'ent', directory_listed: true }]);
    for (const actor of [ACTORS.anon, ACTORS.patientA, ACTORS.recepA, ACTORS.practA, ACTORS.ownerB])
      expect(outcomeCode(await set(actor, {})), actor.name).toMatch(/^(PT403 AUTH.FORBIDDEN|42501 )/);
    expect(outcomeCode(await set(ACTORS.ownerA, { p_city: '' }))).toBe('PT422 VALIDATION.FAILED');
    expect(outcomeCode(await set(ACTORS.ownerA, { p_city: '', p_listed: false }))).toBe('ok');
    expect(outcomeCode(await set(ACTORS.ownerA, { p_specialty: 'astrology' }))).toBe(
      'PT422 VALIDATION.FAILED',
    );
    expect(outcomeCode(await set(ACTORS.ownerA, { p_city: 'x'.repeat(81) }))).toBe('PT422 VALIDATION.FAILED');
    expect(outcomeCode(await set(ACTORS.ownerA, { p_city: 'Appelez 0612345678' }))).toBe(
      'PT422 VALIDATION.FAILED',
    );
    expect(outcomeCode(await set(ACTORS.ownerA, { p_city: 'الدار البيضاء' }))).toBe('ok');
    // staff of the clinic read it (any role); anyone else is refused
    expect(
      mustSucceed(await rpcAs(t.db, ACTORS.recepA, 'get_clinic_listing', { p_clinic_id: ID.clinicA })).r,
    ).toEqual({ city: null, specialty: null, listed: false, sms_held: false });
    for (const actor of [ACTORS.anon, ACTORS.patientA, ACTORS.ownerB])
      expect(
        outcomeCode(await rpcAs(t.db, actor, 'get_clinic_listing', { p_clinic_id: ID.clinicA })),
        actor.name,
      ).toMatch(/^(PT403 AUTH.FORBIDDEN|42501 )/);
  });

  it('the new columns are not readable or writable through the table by anon or signed-in users', async () => {
    for (const actor of [ACTORS.anon, ACTORS.patientA, ACTORS.ownerA]) {
      for (const sql of [
        `select directory_listed from public.clinics where id = '${ID.clinicA}'`,
        `select city from public.clinics where id = '${ID.clinicA}'`,
        `update public.clinics set directory_listed = true where id = '${ID.clinicA}'`,
      ]) {
        const o = await tryAsActor(t.db, actor, (tx) => tx.query(sql));
        expect(outcomeCode(o), `${actor.name}: ${sql}`).toMatch(/^42501 /);
      }
    }
  });
});
