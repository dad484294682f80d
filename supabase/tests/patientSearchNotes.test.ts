/**
 * Issue 17 in the database (20261204500001), on PGlite and PostgreSQL: the desk's patient search (name, phone,
 * ticket; one clinic only; LIKE metacharacters and Arabic are data; limited) and staff-only visit notes (read
 * by the clinic's staff only, never by the patient, the tracker or the board; 1..1000 characters; each note
 * records its author and origin). Every call is rolled back.
 */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import { tryAsActor } from './helpers/sql';
import type { Actor, Outcome } from './helpers/sql';
import { ACTORS, ID, TOKENS } from './helpers/world';
import { rpcAs, useWorldDb } from './helpers/worldDb';
import type { RpcOutcome } from './helpers/worldDb';

type Match = {
  id: string;
  full_name: string;
  phone: string | null;
  last_day: string | null;
  last_ticket: string | null;
};
type Note = {
  id: string;
  entry_id: string;
  author_name: string | null;
  author_role: string | null;
  body: string;
};

// more patients of clinic A (Arabic, metacharacters) and one of clinic B with the same name
const MORE = `
  insert into public.patients (id, clinic_id, full_name, phone) values
    ('a3000000-0000-4000-8000-0000000000a1', '${ID.clinicA}', 'فاطمة الزهراء', '+212611223344'),
    ('a3000000-0000-4000-8000-0000000000a2', '${ID.clinicA}', '100% Karim_x', null),
    ('b3000000-0000-4000-8000-0000000000b1', '${ID.clinicB}', 'فاطمة الزهراء', '+212611223344');
  insert into public.patients (clinic_id, full_name) select '${ID.clinicA}', 'Crowd ' || g from generate_series(1, 60) g;`;

describe.each(DB_KINDS)('patient search and visit notes on %s', (kind) => {
  const t = useWorldDb(kind);

  /** One RPC as `actor` after MORE + `setup` (superuser), then `after` read as superuser; rolled back. */
  const call = <T>(
    actor: Actor,
    fn: string,
    args: Record<string, unknown>,
    opts: { setup?: string; after?: string } = {},
  ): Promise<RpcOutcome<T>> =>
    rpcAs<T>(t.db, actor, fn, args, {
      ...opts,
      setup: MORE + (opts.setup ?? ''),
      headers: { 'x-forwarded-for': '198.51.100.4', 'user-agent': 'Desk' },
    });
  const codeOf = (o: Outcome<unknown>) =>
    o.ok ? 'ok' : o.code.startsWith('PT') ? `${o.code} ${o.message}` : o.code;
  const search = async (q: string, actor: Actor = ACTORS.recepA, extra: Record<string, unknown> = {}) => {
    const o = await call<Match[]>(actor, 'search_patients', {
      p_clinic_id: ID.clinicA,
      p_query: q,
      ...extra,
    });
    if (!o.ok) throw new Error(codeOf(o));
    return o.value.r;
  };

  describe('search_patients', () => {
    it('finds by part of a name, Arabic included, only in the clinic asked for', async () => {
      expect((await search('  amina ')).map((m) => m.full_name)).toEqual(['Amina Patient']);
      const arabic = await search('الزهراء');
      expect(arabic.map((m) => m.id)).toEqual(['a3000000-0000-4000-8000-0000000000a1']);
      // clinic B's owner asking about clinic A is refused; asking about B never shows A's patients
      const other = await call(ACTORS.ownerB, 'search_patients', {
        p_clinic_id: ID.clinicA,
        p_query: 'Amina',
      });
      expect(codeOf(other)).toBe('PT403 AUTH.FORBIDDEN');
      const inB = await call<Match[]>(ACTORS.ownerB, 'search_patients', {
        p_clinic_id: ID.clinicB,
        p_query: 'Amina',
      });
      expect(inB.ok && inB.value.r.map((m) => m.id)).toEqual([ID.walkInB]);
      for (const a of [ACTORS.patientA, ACTORS.patientB])
        expect(codeOf(await call(a, 'search_patients', { p_clinic_id: ID.clinicA, p_query: 'Amina' }))).toBe(
          'PT403 AUTH.FORBIDDEN',
        );
      expect(
        codeOf(await call(ACTORS.anon, 'search_patients', { p_clinic_id: ID.clinicA, p_query: 'Amina' })),
      ).toBe('42501');
    });

    it('by phone, in international or local form', async () => {
      expect((await search('+212 600 000 002')).map((m) => m.full_name)).toEqual(['Bruno Patient']);
      expect((await search('06 11 22 33 44')).map((m) => m.full_name)).toEqual(['فاطمة الزهراء']);
      // three digits are not a phone search (and no name holds them)
      expect(await search('600')).toEqual([]);
    });

    it("by ticket, today's or a past visit, with the visit it was last seen on", async () => {
      const b = await search('A-002');
      expect(b).toEqual([
        expect.objectContaining({ id: ID.patientRecB, full_name: 'Bruno Patient', last_ticket: 'A-002' }),
      ]);
      expect((await search('a2')).map((m) => m.id)).toEqual([ID.patientRecB]);
      // ticket 1 was Amina's today and tomorrow; her last visit is tomorrow's
      const amina = await search('001');
      expect(amina.map((m) => m.id)).toEqual([ID.patientRecA]);
      expect(amina[0]?.last_ticket).toBe('A-001');
      // another prefix is not this clinic's ticket
      expect(await search('Z-002')).toEqual([]);
    });

    it('LIKE metacharacters are matched as text; quotes and SQL are just a name', async () => {
      expect((await search('%%')).map((m) => m.full_name)).toEqual([]);
      expect((await search('0%')).map((m) => m.full_name)).toEqual(['100% Karim_x']);
      expect((await search('m_x')).map((m) => m.full_name)).toEqual(['100% Karim_x']);
      expect(await search('a_i')).toEqual([]); // '_' is not "any character": no "Amina"
      expect(await search("'); drop table public.patients; --")).toEqual([]);
      expect((await search('Bruno')).length).toBe(1);
    }, 60_000);

    it('results are limited (default 20, at most 50); bad input is a coded 422', async () => {
      expect(await search('Crowd')).toHaveLength(20);
      expect(await search('Crowd', ACTORS.recepA, { p_limit: 50 })).toHaveLength(50);
      for (const bad of [
        { p_query: 'a' },
        { p_query: '   ' },
        { p_query: 'x'.repeat(101) },
        { p_query: 'Crowd', p_limit: 51 },
        { p_query: 'Crowd', p_limit: 0 },
      ])
        expect(
          codeOf(await call(ACTORS.recepA, 'search_patients', { p_clinic_id: ID.clinicA, ...bad })),
        ).toBe('PT422 VALIDATION.FAILED');
    });
  });

  describe('visit notes', () => {
    const NOTES = `select entry_id::text, author_name, author_role::text, body, client_ip, user_agent
                   from public.visit_notes order by created_at, id`;

    it("staff write and read a visit's notes; each records its author and origin", async () => {
      const o = await call<Note>(
        ACTORS.practA,
        'add_visit_note',
        { p_entry_id: ID.entryB, p_body: '  Allergique à la pénicilline — حساسية  ' },
        { after: NOTES },
      );
      if (!o.ok) throw new Error(codeOf(o));
      expect(o.value.r).toMatchObject({
        entry_id: ID.entryB,
        author_name: 'Dr Pract A',
        author_role: 'practitioner',
        body: 'Allergique à la pénicilline — حساسية',
      });
      expect(o.value.after).toEqual([
        {
          entry_id: ID.entryB,
          author_name: 'Dr Pract A',
          author_role: 'practitioner',
          body: 'Allergique à la pénicilline — حساسية',
          client_ip: '198.51.100.4',
          user_agent: 'Desk',
        },
      ]);
      const setup = `insert into public.visit_notes (clinic_id, entry_id, author_name, body)
                     values ('${ID.clinicA}', '${ID.entryA}', 'Recep A', 'Vient avec sa fille');`;
      const list = await call<Note[]>(
        ACTORS.recepA,
        'list_visit_notes',
        { p_entry_id: ID.entryA },
        { setup },
      );
      expect(list.ok && list.value.r.map((n) => n.body)).toEqual(['Vient avec sa fille']);
    });

    it('a patient, anon and another clinic never read them: not by the RPC, the table, the tracker or the board', async () => {
      const setup = `insert into public.visit_notes (clinic_id, entry_id, author_name, body)
                     values ('${ID.clinicA}', '${ID.entryA}', 'Recep A', 'SECRET-NOTE-TEXT');`;
      for (const a of [ACTORS.patientA, ACTORS.ownerB]) {
        expect(codeOf(await call(a, 'list_visit_notes', { p_entry_id: ID.entryA }, { setup }))).toBe(
          'PT404 NOT_FOUND',
        );
        const rows = await tryAsActor(
          t.db,
          a,
          async (tx) => (await tx.query(`select count(*)::int as n from public.visit_notes`)).rows[0],
          async (tx) => void (await tx.exec(setup)),
        );
        expect(rows).toEqual({ ok: true, value: { n: 0 } });
      }
      const screens = await tryAsActor(
        t.db,
        ACTORS.anon,
        async (tx) =>
          JSON.stringify([
            (await tx.query(`select public.get_visit_live('${TOKENS.trackingA}') as v`)).rows,
            (await tx.query(`select public.get_visit_status('${TOKENS.trackingA}') as v`)).rows,
            (await tx.query(`select public.get_waiting_board('${ID.clinicA}') as b`)).rows,
          ]),
        async (tx) => void (await tx.exec(setup)),
      );
      expect(screens.ok).toBe(true);
      expect(screens.ok && screens.value).not.toContain('SECRET-NOTE-TEXT');
      expect(codeOf(await call(ACTORS.anon, 'list_visit_notes', { p_entry_id: ID.entryA }))).toBe('42501');
      // a patient cannot write one on their own visit either
      expect(
        codeOf(await call(ACTORS.patientA, 'add_visit_note', { p_entry_id: ID.entryA, p_body: 'x' })),
      ).toBe('PT404 NOT_FOUND');
    });

    it('empty or over 1000 characters → 422 VALIDATION.FAILED, nothing written; an unknown visit → 404', async () => {
      for (const body of ['', '   ', 'x'.repeat(1001)]) {
        const o = await call(
          ACTORS.recepA,
          'add_visit_note',
          { p_entry_id: ID.entryA, p_body: body },
          { after: NOTES },
        );
        expect(codeOf(o)).toBe('PT422 VALIDATION.FAILED');
      }
      const ok = await call<Note>(ACTORS.recepA, 'add_visit_note', {
        p_entry_id: ID.entryA,
        p_body: 'x'.repeat(1000),
      });
      expect(codeOf(ok)).toBe('ok');
      expect(
        codeOf(
          await call(ACTORS.recepA, 'add_visit_note', {
            p_entry_id: 'a5000000-0000-4000-8000-0000000000ff',
            p_body: 'note',
          }),
        ),
      ).toBe('PT404 NOT_FOUND');
    });
  });
});
