/**
 * Issue 17 (feat21a), on PGlite and PostgreSQL: the patient's tracker (anyone holding the link) says which doctor
 * the visit is with — the doctor's display name only, null for "any doctor" — and the link's answer carries no id
 * of a staff member (20261221500001). Every call is rolled back.
 */
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from './helpers/testDb';
import { ACTORS, ID, TOKENS, U } from './helpers/world';
import { mustSucceed, rpcAs, useWorldDb } from './helpers/worldDb';

type Live = { doctor_name?: string | null; status: string };

const STAFF_IDS = [
  ID.memberOwnerA,
  ID.memberRecepA,
  ID.memberPractA,
  ID.memberCoOwnerA,
  U.ownerA,
  U.recepA,
  U.practA,
  U.coOwnerA,
];

describe.each(DB_KINDS)('trackerDoctor on %s', (kind) => {
  const t = useWorldDb(kind);
  const read = async (fn: 'get_visit_live' | 'get_tracker_view', setup = '') =>
    mustSucceed(await rpcAs<Live>(t.db, ACTORS.anon, fn, { p_tracking_token: TOKENS.trackingA }, { setup }))
      .r;
  const withDoctor = (member: string) =>
    `update public.queue_entries set practitioner_id = '${member}' where id = '${ID.entryA}';`;

  it('trackerDoctor: a visit with no doctor answers doctor_name null ("any doctor")', async () => {
    for (const fn of ['get_visit_live', 'get_tracker_view'] as const) {
      const v = await read(fn);
      expect(v).toHaveProperty('doctor_name', null);
    }
  });

  it('trackerDoctor: a visit with a doctor answers the doctor’s display name, and no staff id anywhere', async () => {
    for (const fn of ['get_visit_live', 'get_tracker_view'] as const) {
      const v = await read(fn, withDoctor(ID.memberPractA));
      expect(v.doctor_name).toBe('Dr Pract A');
      const text = JSON.stringify(v);
      for (const id of STAFF_IDS) expect(text).not.toContain(id);
    }
    // the owner as the doctor (DR1), while waiting too
    const waiting = await read(
      'get_tracker_view',
      withDoctor(ID.memberOwnerA) +
        `update public.queue_entries set status = 'waiting', checked_in_at = private.now() where id = '${ID.entryA}';`,
    );
    expect(waiting.status).toBe('waiting');
    expect(waiting.doctor_name).toBe('Dr Owner A');
    for (const id of STAFF_IDS) expect(JSON.stringify(waiting)).not.toContain(id);
  });

  it('trackerDoctor: Arabic names and SQL metacharacters come back as data; a doctor who stopped taking bookings is still the visit’s (DR2)', async () => {
    const name = `د. فاطمة 'O''Brien'; drop table x; -- 👩‍⚕️`;
    const v = await read(
      'get_tracker_view',
      withDoctor(ID.memberPractA) +
        `update public.clinic_members set display_name = $q$${name}$q$, active = false where id = '${ID.memberPractA}';`,
    );
    expect(v.doctor_name).toBe(name);
  });

  it('trackerDoctor: a forged or unknown link still answers 404, never a name', async () => {
    const o = await rpcAs(
      t.db,
      ACTORS.anon,
      'get_tracker_view',
      { p_tracking_token: 'not-a-token' },
      { setup: withDoctor(ID.memberPractA) },
    );
    expect(o.ok ? 'ok' : o.code + ' ' + o.message).toBe('PT404 NOT_FOUND');
  });
});
