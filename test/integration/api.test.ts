// REST /v1 (edge function `api`, issue 18) over HTTP on the local stack with the real migrations and the
// real Deno function, on PGlite and PostgreSQL: every route's success and its coded failures, API keys
// (scopes, another clinic, revocation, rate limit), Idempotency-Key replay, ETag/If-Match, and every JSON
// answer validated against the served OpenAPI document.
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueService } from '../../src/services/queue/QueueService';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { signJwt } from '../../supabase/local/keys';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { middayZone } from './queueStackKit';

const FUNCTIONS = new URL('../../supabase/functions', import.meta.url).pathname;
const CONFIG = new URL('../../supabase/config.toml', import.meta.url).pathname;

interface Res {
  status: number;
  json: Record<string, unknown> & { code?: string };
  headers: Headers;
  text: string;
}

describe.each(['pglite', 'postgres'] as Kind[])('REST /v1 on %s', (kind) => {
  let app: AppStack;
  let base: string;
  let doc: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  let ajv: Ajv2020;
  let seq = 0;

  const call = async (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    o: { auth?: string | null; body?: unknown; idem?: string | null; ifMatch?: string } = {},
  ): Promise<Res> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (o.auth) headers['authorization'] = `Bearer ${o.auth}`;
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      if (o.idem !== null) headers['idempotency-key'] = o.idem ?? `k-${process.pid}-${++seq}`;
    }
    if (method === 'PUT') headers['content-type'] = 'application/json';
    if (o.ifMatch !== undefined) headers['if-match'] = o.ifMatch;
    const res = await fetch(base + path, {
      method,
      headers,
      ...(method !== 'GET' ? { body: JSON.stringify(o.body ?? {}) } : {}),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = {};
    }
    return { status: res.status, json, headers: res.headers, text };
  };

  /** The answer validates against the served document's schema for (template, method, status). */
  const conforms = (r: Res, template: string, method: string): void => {
    const op = doc.paths[template]?.[method.toLowerCase()];
    expect(op, `${method} ${template} documented`).toBeTruthy();
    const resp = op!.responses[String(r.status)] as
      { content?: Record<string, { schema: unknown }> } | undefined;
    expect(resp, `${method} ${template} documents ${r.status}`).toBeTruthy();
    const ct = r.status >= 400 ? 'application/problem+json' : 'application/json';
    expect(r.headers.get('content-type')).toContain(ct);
    const schema = resp!.content?.[ct]?.schema;
    expect(schema).toBeTruthy();
    const validate = ajv.compile({
      $ref: `openapi.json#/paths/${pointer(template)}/${method.toLowerCase()}/responses/${r.status}/content/${pointer(ct)}/schema`,
    });
    const ok = validate(r.json);
    expect(validate.errors ?? [], JSON.stringify(r.json).slice(0, 400)).toEqual([]);
    expect(ok).toBe(true);
  };
  const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

  // ── fixtures: two clinics, a key per scope, patients, a walk-in queue ────────────────────────────
  let A: Awaited<ReturnType<AppStack['newClinic']>>;
  let B: Awaited<ReturnType<AppStack['newClinic']>>;
  const keys: Record<string, string> = {};
  let patientA = '';
  let patientUser: Awaited<ReturnType<AppStack['signUp']>>;
  let queueA: QueueService;
  let tomorrow = '';

  const createKey = async (
    owner: typeof A,
    name: string,
    scopes: string[],
    rate = 1000,
  ): Promise<{ id: string; key: string }> => {
    const { data, error } = await owner.client.rpc('create_api_key', {
      p_clinic_id: owner.clinicId,
      p_name: name,
      p_scopes: scopes,
      p_rate_limit_per_minute: rate,
    });
    if (error) throw new Error(error.message);
    return data as { id: string; key: string };
  };

  beforeAll(async () => {
    app = await startAppStack(kind, { functionsDir: FUNCTIONS, configToml: CONFIG });
    base = `${app.stack.url}/functions/v1/api`;
    // The database's clock is pinned for the whole file: rate windows (per minute) cannot roll over mid-test.
    await app.db.query(`insert into private.pinned_clock (at) values (now())`);
    A = await app.newClinic('apia');
    B = await app.newClinic('apib');
    const zone = middayZone();
    for (const c of [A, B]) {
      await app.db.query(`update public.clinics set time_zone = $2 where id = $1`, [c.clinicId, zone]);
      for (let d = 0; d < 7; d++)
        await app.db.query(
          `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at) values ($1, $2, '08:00', '18:00')`,
          [c.clinicId, d],
        );
    }
    const [p] = await app.addPatients(A.clinicId, ['Amina Api']);
    patientA = p!.id;
    // patients book with a confirmed phone (abuse17: book_* refuse BOOKING.PHONE_NOT_CONFIRMED otherwise)
    patientUser = await app.signUp('apipatient', '+212614500001');
    keys['read'] = (await createKey(A, 'reader', ['read'])).key;
    keys['queue'] = (await createKey(A, 'desk', ['queue'])).key;
    keys['bookings'] = (await createKey(A, 'assistant', ['bookings'])).key;
    keys['B'] = (await createKey(B, 'other clinic', ['admin'])).key;
    keys['admin'] = (await createKey(A, 'back office', ['admin'])).key;
    queueA = new QueueService({
      repo: new SupabaseQueueRepository(A.client),
      bus: { publish: () => undefined },
      actor: () => A.userId,
    });
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    tomorrow = local.format(new Date(Date.now() + 24 * 3600 * 1000));
    const served = await fetch(`${base}/v1/openapi.json`);
    doc = (await served.json()) as typeof doc;
    ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema(doc as object, 'openapi.json');
  }, 300_000); // stack, migrations and a Deno function on the shared 2-core machine (load average 40 seen)
  afterAll(async () => {
    await app?.stop();
  });

  it('serves an OpenAPI 3.1 document; every documented operation is routed, an undocumented one is not', async () => {
    const r = await call('GET', '/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.json['openapi']).toBe('3.1.0');
    const ops = Object.entries(doc.paths).flatMap(([p, o]) =>
      Object.keys(o).map((m) => [m.toUpperCase(), p] as const),
    );
    expect(ops.length).toBeGreaterThanOrEqual(14);
    for (const [method, template] of ops) {
      const path = template.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const res = await call(method as 'GET' | 'POST' | 'PUT' | 'DELETE', path, { idem: null });
      expect([res.status, res.json.code], `${method} ${template}`).not.toEqual([404, 'API.ROUTE_NOT_FOUND']);
      expect(res.status, `${method} ${template}`).not.toBe(405);
    }
    // and the reverse: what is not documented is not served
    const undocumented = await call('POST', `/v1/clinics/${A.clinicId}/queue/end-day`, { idem: null });
    expect([undocumented.status, undocumented.json.code]).toEqual([404, 'API.ROUTE_NOT_FOUND']);
    const wrongMethod = await call('POST', `/v1/clinics/${A.clinicId}/hours`, { idem: null });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    const page = await fetch(`${base}/v1/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/v1/openapi.json');
  });

  it('clinic: public profile by slug and id, hours, visit types; 404 and 422 as problems', async () => {
    const byId = await call('GET', `/v1/clinics/${A.clinicId}`);
    expect(byId.status).toBe(200);
    conforms(byId, '/v1/clinics/{clinic}', 'GET');
    const bySlug = await call('GET', `/v1/clinics/${byId.json['slug'] as string}`);
    expect(bySlug.json['id']).toBe(A.clinicId);
    const hours = await call('GET', `/v1/clinics/${A.clinicId}/hours`);
    expect(hours.status).toBe(200);
    expect((hours.json['data'] as unknown[]).length).toBe(7);
    conforms(hours, '/v1/clinics/{clinicId}/hours', 'GET');
    const types = await call('GET', `/v1/clinics/${A.clinicId}/visit-types`);
    expect(types.status).toBe(200);
    conforms(types, '/v1/clinics/{clinicId}/visit-types', 'GET');
    const missing = await call('GET', '/v1/clinics/no-such-clinic');
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe('NOT_FOUND');
    conforms(missing, '/v1/clinics/{clinic}', 'GET');
    const bad = await call('GET', '/v1/clinics/not-a-uuid/hours');
    expect(bad.status).toBe(422);
    expect(bad.json.code).toBe('VALIDATION.FAILED');
    conforms(bad, '/v1/clinics/{clinicId}/hours', 'GET');
    const route = await call('GET', '/v1/nothing-here');
    expect(route.status).toBe(404);
    expect(route.json.code).toBe('API.ROUTE_NOT_FOUND');
  });

  it('free slots with cursor pagination: pages follow each other without gaps or repeats', async () => {
    const all = await call('GET', `/v1/clinics/${A.clinicId}/slots?from=${tomorrow}&limit=100`);
    expect(all.status).toBe(200);
    conforms(all, '/v1/clinics/{clinicId}/slots', 'GET');
    const everything = (all.json['data'] as { start: string }[]).map((s) => s.start);
    expect(everything.length).toBeGreaterThan(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/v1/clinics/${A.clinicId}/slots?from=${tomorrow}&limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await call('GET', q);
      expect(page.status).toBe(200);
      seen.push(...(page.json['data'] as { start: string }[]).map((s) => s.start));
      cursor = page.json['nextCursor'] as string | null;
    } while (cursor);
    expect(seen).toEqual(everything);
    const badCursor = await call('GET', `/v1/clinics/${A.clinicId}/slots?from=${tomorrow}&cursor=zzz`);
    expect(badCursor.status).toBe(422);
    const badDate = await call('GET', `/v1/clinics/${A.clinicId}/slots?from=tomorrow`);
    expect(badDate.status).toBe(422);
    expect(badDate.json['issues']).toEqual([expect.objectContaining({ path: 'from' })]);
  });

  it("fluid visit type (issue 17): /days, a patient's and a key's booking of a day's place; the wrong path 422, another clinic's key 403", async () => {
    const typeId = (
      await app.db.query<{ id: string }>(
        `insert into public.appointment_types (clinic_id, name, duration_minutes, booking_mode)
         values ($1, 'بدون موعد 🌙', 20, 'fluid') returning id`,
        [A.clinicId],
      )
    ).rows[0]!.id;
    const types = await call('GET', `/v1/clinics/${A.clinicId}/visit-types`);
    expect(
      (types.json['data'] as { id: string; bookingMode: string }[]).find((t) => t.id === typeId),
    ).toMatchObject({ bookingMode: 'fluid' });
    conforms(types, '/v1/clinics/{clinicId}/visit-types', 'GET');
    const left = async () => {
      const r = await call('GET', `/v1/clinics/${A.clinicId}/days?from=${tomorrow}&visitTypeId=${typeId}`);
      expect(r.status).toBe(200);
      conforms(r, '/v1/clinics/{clinicId}/days', 'GET');
      return (r.json['data'] as { day: string; remaining: number }[]).find((d) => d.day === tomorrow)!
        .remaining;
    };
    const before = await left();
    const user = await app.signUp('apifluid', '+212614500002');
    const mine = await call('POST', '/v1/bookings', {
      auth: user.token,
      body: { clinicId: A.clinicId, day: tomorrow, appointmentTypeId: typeId, fullName: 'سلمى 🌙' },
    });
    expect(mine.status).toBe(201);
    conforms(mine, '/v1/bookings', 'POST');
    expect(mine.json).toMatchObject({ slotStart: null, day: tomorrow, status: 'scheduled', kind: 'booked' });
    const [p] = await app.addPatients(A.clinicId, ['Fluid Api']);
    const byKey = await call('POST', '/v1/bookings', {
      auth: keys['bookings'],
      body: { clinicId: A.clinicId, patientId: p!.id, day: tomorrow, appointmentTypeId: typeId },
    });
    expect(byKey.status).toBe(201);
    expect(byKey.json).toMatchObject({ patientId: p!.id, slotStart: null, day: tomorrow });
    expect(await left()).toBe(before - 2);
    const slots = await call('GET', `/v1/clinics/${A.clinicId}/slots?from=${tomorrow}&limit=1`);
    const slot = (slots.json['data'] as { start: string }[])[0]!.start;
    const refusals = await Promise.all(
      [
        {
          auth: keys['bookings'],
          body: { clinicId: A.clinicId, patientId: patientA, slotStart: slot, appointmentTypeId: typeId },
        },
        { auth: keys['bookings'], body: { clinicId: A.clinicId, patientId: patientA, day: tomorrow } },
        {
          auth: keys['bookings'],
          body: { clinicId: A.clinicId, patientId: patientA, day: tomorrow, slotStart: slot },
        },
        {
          auth: keys['bookings'],
          body: { clinicId: A.clinicId, patientId: patientA, day: 'tomorrow', appointmentTypeId: typeId },
        },
        {
          auth: keys['B'],
          body: { clinicId: A.clinicId, patientId: patientA, day: tomorrow, appointmentTypeId: typeId },
        },
      ].map((o) => call('POST', '/v1/bookings', o)),
    );
    expect(refusals.map((r) => [r.status, r.json['code']])).toEqual([
      [422, 'BOOKING.MODE_MISMATCH'],
      [422, 'BOOKING.MODE_MISMATCH'],
      [422, 'VALIDATION.FAILED'],
      [422, 'VALIDATION.FAILED'],
      [403, 'AUTH.FORBIDDEN'],
    ]);
    for (const r of refusals) conforms(r, '/v1/bookings', 'POST');
    expect(await left()).toBe(before - 2);
  });

  it("F7 fluid with a doctor (issue 17): /days?practitionerId= leaves out the doctor's leave, refuses as /slots (422 not offered, 404 another clinic's); a key books the day with the doctor and /v1/visits names them", async () => {
    const doctor = await app.signUp('apifluiddoc');
    const docId = (
      await app.db.query<{ id: string }>(
        `insert into public.clinic_members (clinic_id, user_id, role, display_name)
         values ($1, $2, 'practitioner', 'د. ليلى 🩺') returning id`,
        [A.clinicId, doctor.userId],
      )
    ).rows[0]!.id;
    // a fluid type only this doctor offers (so the owner, a doctor too, does not)
    const typeId = (
      await app.db.query<{ id: string }>(
        `insert into public.appointment_types (clinic_id, name, duration_minutes, booking_mode, practitioner_ids)
         values ($1, 'Vaccin ''); --', 20, 'fluid', array[$2::uuid]) returning id`,
        [A.clinicId, docId],
      )
    ).rows[0]!.id;
    const plus = (n: number) =>
      new Date(Date.parse(`${tomorrow}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    await app.db.query(
      `insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day) values ($1, $2, $3, $3)`,
      [A.clinicId, docId, plus(1)],
    );
    const days = (doctorId?: string) =>
      call(
        'GET',
        `/v1/clinics/${A.clinicId}/days?from=${tomorrow}&to=${plus(2)}&visitTypeId=${typeId}${
          doctorId === undefined ? '' : `&practitionerId=${encodeURIComponent(doctorId)}`
        }`,
      );
    const dayList = (r: Res) => (r.json['data'] as { day: string }[]).map((d) => d.day);
    const any = await days();
    // F8 (fluid22): she is the type's only doctor, so her leave day is not offered to "any doctor" either
    expect(dayList(any)).toEqual([tomorrow, plus(2)]);
    const hers = await days(docId);
    expect(hers.status).toBe(200);
    conforms(hers, '/v1/clinics/{clinicId}/days', 'GET');
    expect(dayList(hers)).toEqual([tomorrow, plus(2)]); // her leave is not offered
    // as /slots: a doctor who does not offer the type 422, another clinic's doctor 404, not a uuid 422
    const refused = await Promise.all([days(A.memberId), days(B.memberId), days("x' or 1=1")]);
    expect(refused.map((r) => [r.status, r.json['code']])).toEqual([
      [422, 'BOOKING.PRACTITIONER_NOT_OFFERED'],
      [404, 'NOT_FOUND'],
      [422, 'VALIDATION.FAILED'],
    ]);
    for (const r of refused) conforms(r, '/v1/clinics/{clinicId}/days', 'GET');
    const slotsRefused = await call(
      'GET',
      `/v1/clinics/${A.clinicId}/slots?from=${tomorrow}&practitionerId=${B.memberId}`,
    );
    expect([slotsRefused.status, slotsRefused.json['code']]).toEqual([404, 'NOT_FOUND']);

    // a key books her line's place; the visit keeps her and the tracking link names her
    const [p] = await app.addPatients(A.clinicId, ['Fluid Doctor Api']);
    const book = (day: string, practitionerId: string | null) =>
      call('POST', '/v1/bookings', {
        auth: keys['bookings'],
        body: { clinicId: A.clinicId, patientId: p!.id, day, appointmentTypeId: typeId, practitionerId },
      });
    const onLeave = await book(plus(1), docId);
    expect([onLeave.status, onLeave.json['code']]).toEqual([409, 'PRACTITIONER.ON_LEAVE']);
    const booked = await book(plus(2), docId);
    expect(booked.status, booked.text).toBe(201);
    conforms(booked, '/v1/bookings', 'POST');
    const { rows } = await app.db.query<{ practitioner_id: string | null }>(
      'select practitioner_id from public.queue_entries where id = $1',
      [booked.json['id']],
    );
    expect(rows[0]?.practitioner_id).toBe(docId);
    const visit = await call('GET', `/v1/visits/${booked.json['trackingToken'] as string}`);
    expect(visit.status).toBe(200);
    conforms(visit, '/v1/visits/{token}', 'GET');
    expect(visit.json['doctorName']).toBe('د. ليلى 🩺');
    // "any doctor": null, not the clinic's owner or anyone else
    const [q] = await app.addPatients(A.clinicId, ['Any Doctor Api']);
    const anyDoc = await call('POST', '/v1/bookings', {
      auth: keys['bookings'],
      body: { clinicId: A.clinicId, patientId: q!.id, day: tomorrow, appointmentTypeId: typeId },
    });
    expect(anyDoc.status, anyDoc.text).toBe(201);
    // F8: a forged "any doctor" day on which no doctor of the type works is refused, as the list left it out
    const [r] = await app.addPatients(A.clinicId, ['Forged Day Api']);
    const forged = await call('POST', '/v1/bookings', {
      auth: keys['bookings'],
      body: { clinicId: A.clinicId, patientId: r!.id, day: plus(1), appointmentTypeId: typeId },
    });
    expect([forged.status, forged.json['code']]).toEqual([422, 'BOOKING.DAY_UNAVAILABLE']);
    conforms(forged, '/v1/bookings', 'POST');
    const anyVisit = await call('GET', `/v1/visits/${anyDoc.json['trackingToken'] as string}`);
    expect(anyVisit.json).toMatchObject({ doctorName: null });
    conforms(anyVisit, '/v1/visits/{token}', 'GET');
  });

  it('book → get → track → cancel as a signed-in patient: 201 + Location, then 409 when cancelled twice', async () => {
    const slots = await call('GET', `/v1/clinics/${A.clinicId}/slots?from=${tomorrow}&limit=3`);
    const slot = (slots.json['data'] as { start: string }[])[0]!.start;
    const anon = await call('POST', '/v1/bookings', { body: { clinicId: A.clinicId, slotStart: slot } });
    expect(anon.status).toBe(401);
    conforms(anon, '/v1/bookings', 'POST');
    const booked = await call('POST', '/v1/bookings', {
      auth: patientUser.token,
      body: { clinicId: A.clinicId, slotStart: slot, fullName: 'Patient Api' },
    });
    expect(booked.status).toBe(201);
    conforms(booked, '/v1/bookings', 'POST');
    const id = booked.json['id'] as string;
    expect(booked.headers.get('location')).toBe(`/v1/bookings/${id}`);
    const got = await call('GET', `/v1/bookings/${id}`, { auth: patientUser.token });
    expect(got.status).toBe(200);
    expect(got.json['status']).toBe('scheduled');
    conforms(got, '/v1/bookings/{bookingId}', 'GET');
    const tracked = await call('GET', `/v1/visits/${booked.json['trackingToken'] as string}`);
    expect(tracked.status).toBe(200);
    expect(tracked.json['ticket']).toBe(booked.json['ticket']);
    // how the clinic reaches the patient (issue 20): the server's route for this visit, read-only, no address
    const route = await app.db.query<{ c: string | null }>(
      `select r.channel::text as c from public.queue_entries e join public.patients p on p.id = e.patient_id,
              private.notification_route(p) r where e.id = $1`,
      [id],
    );
    expect(tracked.json['notifications']).toEqual({ channel: route.rows[0]!.c, push: false });
    conforms(tracked, '/v1/visits/{token}', 'GET');
    const unknownVisit = await call('GET', `/v1/visits/${'x'.repeat(32)}`);
    expect(unknownVisit.status).toBe(404);
    const other = await app.signUp('apiother', '+212614500003');
    const notMine = await call('GET', `/v1/bookings/${id}`, { auth: other.token });
    expect(notMine.status).toBe(404);
    const cancelled = await call('POST', `/v1/bookings/${id}/cancel`, { auth: patientUser.token, body: {} });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toEqual({ id, status: 'cancelled' });
    conforms(cancelled, '/v1/bookings/{bookingId}/cancel', 'POST');
    const again = await call('POST', `/v1/bookings/${id}/cancel`, { auth: patientUser.token, body: {} });
    expect(again.status).toBe(409);
    conforms(again, '/v1/bookings/{bookingId}/cancel', 'POST');
    const invalid = await call('POST', '/v1/bookings', {
      auth: patientUser.token,
      body: { clinicId: A.clinicId, slotStart: 'soon' },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json.code).toBe('VALIDATION.FAILED');
    conforms(invalid, '/v1/bookings', 'POST');
  });

  it("BOOKING.* refusals: 409 only when the slot was taken (SLOT_FULL); the clinic's rules are 422 (too soon, beyond the horizon, too late to cancel)", async () => {
    const settings = async (patch: Record<string, number> | null) =>
      app.db.query(
        patch === null
          ? `update public.clinics set settings = settings - 'slot_capacity' - 'min_cancel_notice_minutes' where id = $1`
          : `update public.clinics set settings = coalesce(settings, '{}'::jsonb) || $2::jsonb where id = $1`,
        patch === null ? [A.clinicId] : [A.clinicId, JSON.stringify(patch)],
      );
    const first = await app.signUp('apifull1', '+212614500004');
    const second = await app.signUp('apifull2', '+212614500005');
    const slots = await call('GET', `/v1/clinics/${A.clinicId}/slots?from=${tomorrow}&limit=100`);
    const slot = (slots.json['data'] as { start: string }[]).at(-3)!.start;
    const book = (token: string, slotStart: string) =>
      call('POST', '/v1/bookings', {
        auth: token,
        body: { clinicId: A.clinicId, slotStart, fullName: 'Full Api' },
      });
    await settings({ slot_capacity: 1 });
    try {
      const taken = await book(first.token, slot);
      expect(taken.status).toBe(201);
      const full = await book(second.token, slot);
      expect([full.status, full.json.code]).toEqual([409, 'BOOKING.SLOT_FULL']);
      expect(full.headers.get('content-type')).toContain('application/problem+json');
      expect(full.json['type']).toBe('https://queuemed.org/problems/booking-slot-full');
      conforms(full, '/v1/bookings', 'POST');

      const past = new Date(Date.parse(slot) - 3 * 24 * 3600 * 1000).toISOString();
      const soon = await book(second.token, past);
      expect([soon.status, soon.json.code]).toEqual([422, 'BOOKING.TOO_SOON']);
      conforms(soon, '/v1/bookings', 'POST');
      const far = new Date(Date.parse(slot) + 400 * 24 * 3600 * 1000).toISOString();
      const beyond = await book(second.token, far);
      expect([beyond.status, beyond.json.code]).toEqual([422, 'BOOKING.BEYOND_HORIZON']);

      // a cancel notice longer than the time left before tomorrow's slot: too late for the patient
      await settings({ min_cancel_notice_minutes: 3 * 24 * 60 });
      const late = await call('POST', `/v1/bookings/${taken.json['id'] as string}/cancel`, {
        auth: first.token,
        body: {},
      });
      expect([late.status, late.json.code]).toEqual([422, 'BOOKING.CANCEL_TOO_LATE']);
      expect(late.json['title']).toBe('Unprocessable Content');
      conforms(late, '/v1/bookings/{bookingId}/cancel', 'POST');
      expect(
        (await call('GET', `/v1/bookings/${taken.json['id'] as string}`, { auth: first.token })).json[
          'status'
        ],
      ).toBe('scheduled');
    } finally {
      await settings(null);
    }
  });

  it('reschedule: the patient moves their booking (201 + Location of the new one, the old cancelled); 422 same slot, 409 a cancelled one, 422 bad body, 403 for a key, 404 for another patient', async () => {
    const mover = await app.signUp('apimover', '+212614500006');
    const slots = await call('GET', `/v1/clinics/${A.clinicId}/slots?from=${tomorrow}&limit=30`);
    const starts = (slots.json['data'] as { start: string }[]).map((x) => x.start);
    const [from, to] = [starts.at(-2)!, starts.at(-1)!];
    const booked = await call('POST', '/v1/bookings', {
      auth: mover.token,
      body: { clinicId: A.clinicId, slotStart: from, fullName: 'Mover Api' },
    });
    expect(booked.status).toBe(201);
    const oldId = booked.json['id'] as string;
    const path = `/v1/bookings/${oldId}/reschedule`;
    const same = await call('POST', path, { auth: mover.token, body: { slotStart: from } });
    // a rule refusal of the request itself (not a conflict with someone else's change): 422
    expect([same.status, same.json.code]).toEqual([422, 'BOOKING.RESCHEDULE_SAME_SLOT']);
    conforms(same, '/v1/bookings/{bookingId}/reschedule', 'POST');
    const bad = await call('POST', path, { auth: mover.token, body: { slotStart: 'later' } });
    expect([bad.status, bad.json.code]).toEqual([422, 'VALIDATION.FAILED']);
    const byKey = await call('POST', path, { auth: keys['bookings'], body: { slotStart: to } });
    expect([byKey.status, byKey.json.code]).toEqual([403, 'AUTH.FORBIDDEN']);
    conforms(byKey, '/v1/bookings/{bookingId}/reschedule', 'POST');
    const stranger = await app.signUp('apistranger', '+212614500007');
    const notMine = await call('POST', path, { auth: stranger.token, body: { slotStart: to } });
    expect(notMine.status).toBe(404);
    conforms(notMine, '/v1/bookings/{bookingId}/reschedule', 'POST');
    // none of the refusals moved it
    expect((await call('GET', `/v1/bookings/${oldId}`, { auth: mover.token })).json['slotStart']).toBe(from);

    const moved = await call('POST', path, { auth: mover.token, body: { slotStart: to } });
    expect(moved.status).toBe(201);
    conforms(moved, '/v1/bookings/{bookingId}/reschedule', 'POST');
    const newId = moved.json['id'] as string;
    expect(newId).not.toBe(oldId);
    expect(moved.json['rescheduledFrom']).toBe(oldId);
    expect(moved.json['slotStart']).toBe(to);
    expect(moved.json['trackingToken']).not.toBe(booked.json['trackingToken']);
    expect(moved.headers.get('location')).toBe(`/v1/bookings/${newId}`);
    const old = await call('GET', `/v1/bookings/${oldId}`, { auth: mover.token });
    expect(old.json['status']).toBe('cancelled');
    const again = await call('POST', path, { auth: mover.token, body: { slotStart: starts.at(-3)! } });
    expect([again.status, again.json.code]).toEqual([409, 'QUEUE.ILLEGAL_TRANSITION']);
    conforms(again, '/v1/bookings/{bookingId}/reschedule', 'POST');
    const unknown = await call(
      'POST',
      `/v1/bookings/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/reschedule`,
      {
        auth: mover.token,
        body: { slotStart: to },
      },
    );
    expect(unknown.status).toBe(404);
  });

  it('Idempotency-Key: required on POST, a repeat replays the first 201 (one booking), another body is 422', async () => {
    const slots = await call('GET', `/v1/clinics/${A.clinicId}/slots?from=${tomorrow}&limit=5`);
    const slot = (slots.json['data'] as { start: string }[])[2]!.start;
    const body = { clinicId: A.clinicId, slotStart: slot, patientId: patientA };
    const none = await call('POST', '/v1/bookings', { auth: keys['bookings'], body, idem: null });
    expect(none.status).toBe(400);
    expect(none.json.code).toBe('IDEMPOTENCY.KEY_REQUIRED');
    const first = await call('POST', '/v1/bookings', { auth: keys['bookings'], body, idem: 'same-key-1' });
    expect(first.status).toBe(201);
    const replay = await call('POST', '/v1/bookings', { auth: keys['bookings'], body, idem: 'same-key-1' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json).toEqual(first.json);
    expect(replay.headers.get('location')).toBe(first.headers.get('location'));
    const { rows } = await app.db.query<{ n: number }>(
      `select count(*)::int as n from public.queue_entries where patient_id = $1 and slot_start = $2 and status = 'scheduled'`,
      [patientA, slot],
    );
    expect(rows[0]?.n).toBe(1);
    const reused = await call('POST', '/v1/bookings', {
      auth: keys['bookings'],
      body: { ...body, practitionerId: null, appointmentTypeId: null, fullName: 'Other' },
      idem: 'same-key-1',
    });
    expect(reused.status).toBe(422);
    expect(reused.json.code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('API keys: 401 unknown/revoked, 403 wrong scope and another clinic, key of clinic B cannot touch A', async () => {
    const unknown = await call('GET', `/v1/clinics/${A.clinicId}/queue`, { auth: `qmk_${'0'.repeat(64)}` });
    expect(unknown.status).toBe(401);
    expect(unknown.json.code).toBe('AUTH.INVALID_KEY');
    conforms(unknown, '/v1/clinics/{clinicId}/queue', 'GET');
    const noAuth = await call('GET', `/v1/clinics/${A.clinicId}/queue`);
    expect(noAuth.status).toBe(401);
    const readOk = await call('GET', `/v1/clinics/${A.clinicId}/queue`, { auth: keys['read'] });
    expect(readOk.status).toBe(200);
    conforms(readOk, '/v1/clinics/{clinicId}/queue', 'GET');
    const scope = await call('POST', `/v1/clinics/${A.clinicId}/queue/call-next`, {
      auth: keys['read'],
      body: {},
    });
    expect(scope.status).toBe(403);
    expect(scope.json.code).toBe('AUTH.SCOPE_MISSING');
    conforms(scope, '/v1/clinics/{clinicId}/queue/call-next', 'POST');
    const otherClinic = await call('GET', `/v1/clinics/${A.clinicId}/queue`, { auth: keys['B'] });
    expect(otherClinic.status).toBe(403);
    expect(otherClinic.json.code).toBe('AUTH.FORBIDDEN');
    const otherBook = await call('POST', '/v1/bookings', {
      auth: keys['B'],
      body: { clinicId: A.clinicId, slotStart: new Date().toISOString(), patientId: patientA },
    });
    expect(otherBook.status).toBe(403);
    // a patient's JWT on a staff route: the database refuses (not a member of the clinic)
    const patientOnQueue = await call('GET', `/v1/clinics/${A.clinicId}/queue`, { auth: patientUser.token });
    expect(patientOnQueue.status).toBe(403);
    // revoked: 401 at once
    const temp = await createKey(A, 'temp', ['read']);
    expect((await call('GET', `/v1/clinics/${A.clinicId}/queue`, { auth: temp.key })).status).toBe(200);
    const { error } = await A.client.rpc('revoke_api_key', { p_key_id: temp.id });
    expect(error).toBeNull();
    const revoked = await call('GET', `/v1/clinics/${A.clinicId}/queue`, { auth: temp.key });
    expect(revoked.status).toBe(401);
    // the key is stored hashed, named, scoped; last use recorded; listing never shows the hash or the key
    const { data: list } = await A.client.rpc('list_api_keys', { p_clinic_id: A.clinicId });
    const listed = (list as Record<string, unknown>[]).find((k) => k['id'] === temp.id)!;
    expect(listed['revoked_at']).not.toBeNull();
    expect(listed['last_used_at']).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(temp.key);
    const { rows } = await app.db.query<{ key_hash: string }>(
      'select key_hash from public.api_keys where id = $1',
      [temp.id],
    );
    expect(rows[0]?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.key_hash).not.toContain(temp.key.slice(4, 20));
    // a key cannot create keys, and another clinic's owner cannot list A's keys
    const { error: notOwner } = await B.client.rpc('list_api_keys', { p_clinic_id: A.clinicId });
    expect(notOwner?.message).toBe('AUTH.FORBIDDEN');
  });

  it("an admin's keys stop when the admin is removed (review18 finding 2); the list names who made each key", async () => {
    const ada = await app.signUp('ada');
    await app.db.query(
      `insert into public.clinic_members (clinic_id, user_id, role, display_name) values ($1, $2, 'admin', 'Ada')`,
      [A.clinicId, ada.userId],
    );
    const { data, error } = await ada.client.rpc('create_api_key', {
      p_clinic_id: A.clinicId,
      p_name: 'Ada integration',
      p_scopes: ['admin'],
    });
    expect(error).toBeNull();
    const key = data as { id: string; key: string };
    const paths = ['webhooks', 'messages', 'queue'].map((p) => `/v1/clinics/${A.clinicId}/${p}`);
    for (const path of paths) expect((await call('GET', path, { auth: key.key })).status, path).toBe(200);
    const { data: before } = await A.client.rpc('list_api_keys', { p_clinic_id: A.clinicId });
    expect((before as Record<string, unknown>[]).find((k) => k['id'] === key.id)).toMatchObject({
      created_by: ada.userId,
      created_by_name: 'Ada',
    });
    // the owner removes Ada from the team (remove_member, as the team screen's Remove does)
    const member = await A.client.from('clinic_members').select('id').eq('user_id', ada.userId).single();
    expect(member.error).toBeNull();
    const removed = await A.client.rpc('remove_member', { p_member_id: (member.data as { id: string }).id });
    expect(removed.error).toBeNull();
    for (const path of paths) {
      const r = await call('GET', path, { auth: key.key });
      expect(r.status, path).toBe(401);
      expect(r.json.code).toBe('AUTH.INVALID_KEY');
    }
    const { data: after } = await A.client.rpc('list_api_keys', { p_clinic_id: A.clinicId });
    expect(
      (after as Record<string, unknown>[]).find((k) => k['id'] === key.id)!['revoked_at'],
    ).not.toBeNull();
    // the owner's own keys still answer
    expect((await call('GET', paths[2]!, { auth: keys['read'] })).status).toBe(200);
  });

  it('rate limit: RateLimit-* headers, then 429 with Retry-After', async () => {
    const limited = await createKey(A, 'limited', ['read'], 2);
    const r1 = await call('GET', `/v1/clinics/${A.clinicId}/queue`, { auth: limited.key });
    expect(r1.status).toBe(200);
    expect(r1.headers.get('ratelimit-limit')).toBe('2');
    expect(r1.headers.get('ratelimit-remaining')).toBe('1');
    const r2 = await call('GET', `/v1/clinics/${A.clinicId}/queue`, { auth: limited.key });
    expect(r2.headers.get('ratelimit-remaining')).toBe('0');
    const r3 = await call('GET', `/v1/clinics/${A.clinicId}/queue`, { auth: limited.key });
    expect(r3.status).toBe(429);
    expect(r3.json.code).toBe('RATE.LIMITED');
    expect(Number(r3.headers.get('retry-after'))).toBeGreaterThan(0);
    conforms(r3, '/v1/clinics/{clinicId}/queue', 'GET');
  });

  it('queue: call next → start → finish, absent; ETag = version, stale If-Match is 412, 404 and 409 coded', async () => {
    for (const name of ['Walk One', 'Walk Two', 'Walk Three']) {
      const r = await queueA.addWalkIn(A.clinicId, { patientName: name, phone: null, practitionerId: null });
      expect(r.ok).toBe(true);
    }
    const q = await call('GET', `/v1/clinics/${A.clinicId}/queue?limit=2`, { auth: keys['queue'] });
    expect(q.status).toBe(200);
    expect(q.headers.get('etag')).toBe(`"${q.json['version'] as number}"`);
    expect((q.json['entries'] as unknown[]).length).toBe(2);
    expect(q.json['nextCursor']).not.toBeNull();
    const etag = q.headers.get('etag')!;

    const called = await call('POST', `/v1/clinics/${A.clinicId}/queue/call-next`, {
      auth: keys['queue'],
      body: { room: 'Room 1' },
      ifMatch: etag,
    });
    expect(called.status).toBe(200);
    conforms(called, '/v1/clinics/{clinicId}/queue/call-next', 'POST');
    const entry = called.json['entry'] as { id: string; status: string };
    expect(entry.status).toBe('called');
    expect(called.headers.get('etag')).toBe(`"${called.json['version'] as number}"`);
    expect(called.json['version']).toBeGreaterThan(q.json['version'] as number);

    // the old ETag is stale now: 412, nothing changed
    const stale = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries/${entry.id}/start`, {
      auth: keys['queue'],
      ifMatch: etag,
    });
    expect(stale.status).toBe(412);
    expect(stale.json.code).toBe('QUEUE.VERSION_STALE');
    conforms(stale, '/v1/clinics/{clinicId}/queue/entries/{entryId}/start', 'POST');
    const started = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries/${entry.id}/start`, {
      auth: keys['queue'],
      ifMatch: called.headers.get('etag')!,
    });
    expect(started.status).toBe(200);
    expect((started.json['entry'] as { status: string }).status).toBe('in_service');
    const finished = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries/${entry.id}/finish`, {
      auth: keys['queue'],
    });
    expect(finished.status).toBe(200);
    expect((finished.json['entry'] as { status: string }).status).toBe('completed');
    conforms(finished, '/v1/clinics/{clinicId}/queue/entries/{entryId}/finish', 'POST');
    // finishing again: an illegal move, coded 409
    const twice = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries/${entry.id}/finish`, {
      auth: keys['queue'],
    });
    expect(twice.status).toBe(409);
    expect(twice.json.code).toBe('QUEUE.ILLEGAL_TRANSITION');
    conforms(twice, '/v1/clinics/{clinicId}/queue/entries/{entryId}/finish', 'POST');
    // absent: a waiting patient
    const now = await call('GET', `/v1/clinics/${A.clinicId}/queue`, { auth: keys['queue'] });
    const waiting = (now.json['entries'] as { id: string; status: string }[]).find(
      (e) => e.status === 'waiting',
    )!;
    const absent = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries/${waiting.id}/absent`, {
      auth: keys['queue'],
    });
    expect(absent.status).toBe(200);
    expect((absent.json['entry'] as { status: string }).status).toBe('absent');
    conforms(absent, '/v1/clinics/{clinicId}/queue/entries/{entryId}/absent', 'POST');
    // unknown entry: 404; an entry of another clinic through A's path is unknown here too
    const ghost = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries/${crypto.randomUUID()}/start`, {
      auth: keys['queue'],
    });
    expect(ghost.status).toBe(404);
    expect(ghost.json.code).toBe('QUEUE.ENTRY_NOT_FOUND');
    conforms(ghost, '/v1/clinics/{clinicId}/queue/entries/{entryId}/start', 'POST');
    // malformed If-Match: 412, not silently ignored
    const malformed = await call('POST', `/v1/clinics/${A.clinicId}/queue/call-next`, {
      auth: keys['queue'],
      body: {},
      ifMatch: 'yesterday',
    });
    expect(malformed.status).toBe(412);
    // a replayed queue command returns the first answer and calls nobody else
    const idem = `call-${process.pid}`;
    const c1 = await call('POST', `/v1/clinics/${A.clinicId}/queue/call-next`, {
      auth: keys['queue'],
      body: {},
      idem,
    });
    const c2 = await call('POST', `/v1/clinics/${A.clinicId}/queue/call-next`, {
      auth: keys['queue'],
      body: {},
      idem,
    });
    expect(c2.json).toEqual(c1.json);
    expect(c2.headers.get('idempotent-replayed')).toBe('true');
  });

  it("the events of a key's queue steps name the key's own identity as actor", async () => {
    const { rows } = await app.db.query<{ actor_id: string | null }>(
      `select e.actor_id from public.queue_events e join public.queues q on q.id = e.queue_id
        where q.clinic_id = $1 and e.type = 'PatientCalled' order by e.id desc limit 1`,
      [A.clinicId],
    );
    const { rows: k } = await app.db.query<{ user_id: string }>(
      `select user_id from public.api_keys where clinic_id = $1 and name = 'desk'`,
      [A.clinicId],
    );
    expect(rows[0]?.actor_id).toBe(k[0]?.user_id);
  });
  it('every protected route: 401 without or with a bad credential, 403 for a missing scope and for another clinic', async () => {
    const ops = Object.entries(doc.paths).flatMap(([template, o]) =>
      Object.entries(o as Record<string, { security?: unknown[]; 'x-scope'?: string }>).map(
        ([method, op]) => ({
          template,
          method: method.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'DELETE',
          op,
        }),
      ),
    );
    const guarded = ops.filter((o) => !(Array.isArray(o.op.security) && o.op.security.length === 0));
    expect(guarded.map((o) => o.op['x-scope']).sort()).toEqual(
      [
        ...['bookings', 'bookings', 'bookings'], // create, cancel, reschedule
        ...['queue', 'queue', 'queue', 'queue', 'queue', 'queue', 'queue', 'queue'],
        ...['read', 'read', 'read', 'read', 'read'],
        ...['admin', 'admin', 'admin'],
        ...['admin', 'admin', 'admin', 'admin', 'admin', 'admin'], // webhooks: list, create, delete, enable, deliveries, resend
      ].sort(),
    );
    const path = (template: string) =>
      template
        .replace('{clinicId}', A.clinicId)
        .replace('{kind}', 'your_turn')
        .replace('{language}', 'fr')
        .replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
    const body = { clinicId: A.clinicId, slotStart: new Date().toISOString(), patientId: patientA };
    for (const { template, method, op } of guarded) {
      const none = await call(method, path(template), { body });
      expect([none.status, none.json.code], `${method} ${template} without credentials`).toEqual([
        401,
        'AUTH.REQUIRED',
      ]);
      conforms(none, template, method);
      const unknown = await call(method, path(template), { auth: `qmk_${'f'.repeat(64)}`, body });
      expect([unknown.status, unknown.json.code], `${method} ${template} unknown key`).toEqual([
        401,
        'AUTH.INVALID_KEY',
      ]);
      const forged = await call(method, path(template), { auth: 'Bearer x.y', body });
      expect(forged.status, `${method} ${template} malformed credential`).toBe(401);
      conforms(forged, template, method);
      const scope = op['x-scope'];
      if (scope === 'queue' || scope === 'bookings' || scope === 'admin') {
        const wrong = await call(method, path(template), { auth: keys['read'], body });
        expect([wrong.status, wrong.json.code], `${method} ${template} read key`).toEqual([
          403,
          'AUTH.SCOPE_MISSING',
        ]);
        conforms(wrong, template, method);
      }
      if (template.includes('{clinicId}') || template === '/v1/bookings') {
        const other = await call(method, path(template), { auth: keys['B'], body });
        expect([other.status, other.json.code], `${method} ${template} key of clinic B`).toEqual([
          403,
          'AUTH.FORBIDDEN',
        ]);
        conforms(other, template, method);
      }
    }
  });

  it("review21 L5: a user's JWT on a staff route of another clinic is 403, not 200 with an empty list or the defaults; a receptionist on an admin route is 403", async () => {
    const recep = await app.signUp('apirecep');
    await app.db.query(
      `insert into public.clinic_members (clinic_id, user_id, role, display_name) values ($1, $2, 'receptionist', 'Rita Desk')`,
      [A.clinicId, recep.userId],
    );
    const read = [
      ['/v1/clinics/{clinicId}/messages', `/v1/clinics/${A.clinicId}/messages`],
      ['/v1/clinics/{clinicId}/templates', `/v1/clinics/${A.clinicId}/templates`],
      ['/v1/clinics/{clinicId}/queue', `/v1/clinics/${A.clinicId}/queue`],
    ] as const;
    const admin = [
      ['/v1/clinics/{clinicId}/webhooks', `/v1/clinics/${A.clinicId}/webhooks`],
      ['/v1/clinics/{clinicId}/webhook-deliveries', `/v1/clinics/${A.clinicId}/webhook-deliveries`],
    ] as const;
    for (const [template, path] of [...read, ...admin]) {
      for (const [who, token] of [
        ['owner of clinic B', B.token],
        ['a patient', patientUser.token],
      ] as const) {
        const r = await call('GET', path, { auth: token });
        expect([r.status, r.json.code], `${who}: GET ${path}`).toEqual([403, 'AUTH.FORBIDDEN']);
        conforms(r, template, 'GET');
      }
      // the clinic's own owner still reads it
      expect((await call('GET', path, { auth: A.token })).status, `owner A: GET ${path}`).toBe(200);
    }
    // a receptionist reads the clinic's messages and templates, not its webhooks (an admin key's routes)
    for (const [, path] of read)
      expect((await call('GET', path, { auth: recep.token })).status, `receptionist: GET ${path}`).toBe(200);
    for (const [template, path] of admin) {
      const r = await call('GET', path, { auth: recep.token });
      expect([r.status, r.json.code], `receptionist: GET ${path}`).toEqual([403, 'AUTH.FORBIDDEN']);
      conforms(r, template, 'GET');
    }
    // a write through another clinic's path: refused before anything runs
    const put = await call('PUT', `/v1/clinics/${A.clinicId}/templates/your_turn/fr`, {
      auth: B.token,
      body: { body: 'Ticket {ticket}' },
    });
    expect([put.status, put.json.code]).toEqual([403, 'AUTH.FORBIDDEN']);
  });

  it("webhooks over REST (admin scope): create (201 + Location, the secret once), list, delivery log, resend, delete; 422 for a private or non-https URL, 404 for another clinic's ids, 403 for other scopes", async () => {
    const base = `/v1/clinics/${A.clinicId}/webhooks`;
    const created = await call('POST', base, {
      auth: keys['admin'],
      body: {
        url: 'https://hooks.example.com/queuemed',
        eventTypes: ['patient.checked_in', 'patient.called'],
      },
    });
    expect(created.status).toBe(201);
    conforms(created, '/v1/clinics/{clinicId}/webhooks', 'POST');
    const hookId = created.json['id'] as string;
    expect(created.headers.get('location')).toBe(`${base}/${hookId}`);
    expect(created.json['secret']).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(created.json).toMatchObject({
      enabled: true,
      eventTypes: ['patient.called', 'patient.checked_in'],
    });

    const listed = await call('GET', base, { auth: keys['admin'] });
    expect(listed.status).toBe(200);
    conforms(listed, '/v1/clinics/{clinicId}/webhooks', 'GET');
    const mine = (listed.json['data'] as { id: string; secret?: string }[]).find((w) => w.id === hookId);
    expect(mine).toBeTruthy();
    expect(mine!.secret).toBeUndefined(); // shown once, never listed

    // refused URLs: the database's rules, coded and 422
    const loopback = await call('POST', base, {
      auth: keys['admin'],
      body: { url: 'https://127.0.0.1:8443/hook', eventTypes: ['patient.called'] },
    });
    expect([loopback.status, loopback.json.code]).toEqual([422, 'WEBHOOK.URL_PRIVATE']);
    conforms(loopback, '/v1/clinics/{clinicId}/webhooks', 'POST');
    const local = await call('POST', base, {
      auth: keys['admin'],
      body: { url: 'https://10.1.2.3/hook', eventTypes: ['patient.called'] },
    });
    expect([local.status, local.json.code]).toEqual([422, 'WEBHOOK.URL_PRIVATE']);
    const plain = await call('POST', base, {
      auth: keys['admin'],
      body: { url: 'http://hooks.example.com/x', eventTypes: ['patient.called'] },
    });
    expect([plain.status, plain.json.code]).toEqual([422, 'WEBHOOK.URL_INVALID']);
    const badType = await call('POST', base, {
      auth: keys['admin'],
      body: { url: 'https://hooks.example.com/y', eventTypes: ['patient.teleported'] },
    });
    expect([badType.status, badType.json.code]).toEqual([422, 'VALIDATION.FAILED']);
    // scopes: a queue key is a receptionist — refused by the gateway, and the database would refuse it too
    const byQueueKey = await call('POST', base, {
      auth: keys['queue'],
      body: { url: 'https://hooks.example.com/z', eventTypes: ['patient.called'] },
    });
    expect([byQueueKey.status, byQueueKey.json.code]).toEqual([403, 'AUTH.SCOPE_MISSING']);
    expect(((await call('GET', base, { auth: keys['admin'] })).json['data'] as unknown[]).length).toBe(
      (listed.json['data'] as unknown[]).length,
    );

    // an event → a delivery in the log; resend makes it due again
    const joined = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries`, {
      auth: keys['queue'],
      body: { patientName: 'Hook Walk', phone: null },
    });
    expect(joined.status).toBe(201);
    const log = await call('GET', `/v1/clinics/${A.clinicId}/webhook-deliveries`, { auth: keys['admin'] });
    expect(log.status).toBe(200);
    conforms(log, '/v1/clinics/{clinicId}/webhook-deliveries', 'GET');
    const delivery = (log.json['data'] as { id: string; webhookId: string; eventType: string }[]).find(
      (d) => d.webhookId === hookId,
    );
    expect(delivery?.eventType).toBe('patient.checked_in');
    await app.db.query(
      `update public.webhook_deliveries set status = 'failed', attempts = 8, last_error = 'HTTP 500' where id = $1`,
      [delivery!.id],
    );
    const resent = await call('POST', `/v1/clinics/${A.clinicId}/webhook-deliveries/${delivery!.id}/resend`, {
      auth: keys['admin'],
    });
    expect([resent.status, resent.json]).toEqual([200, { id: delivery!.id, status: 'pending' }]);
    conforms(resent, '/v1/clinics/{clinicId}/webhook-deliveries/{deliveryId}/resend', 'POST');
    const { rows } = await app.db.query<{ status: string; attempts: number }>(
      `select status, attempts from public.webhook_deliveries where id = $1`,
      [delivery!.id],
    );
    expect(rows[0]).toEqual({ status: 'pending', attempts: 0 });

    // another clinic's admin key: its own path does not reach clinic A's ids (404), A's path is 403
    const bPath = `/v1/clinics/${B.clinicId}`;
    const bResend = await call('POST', `${bPath}/webhook-deliveries/${delivery!.id}/resend`, {
      auth: keys['B'],
    });
    expect([bResend.status, bResend.json.code]).toEqual([404, 'NOT_FOUND']);
    conforms(bResend, '/v1/clinics/{clinicId}/webhook-deliveries/{deliveryId}/resend', 'POST');
    const bDelete = await call('DELETE', `${bPath}/webhooks/${hookId}`, { auth: keys['B'] });
    expect([bDelete.status, bDelete.json.code]).toEqual([404, 'NOT_FOUND']);
    conforms(bDelete, '/v1/clinics/{clinicId}/webhooks/{webhookId}', 'DELETE');
    expect(
      (await call('GET', `${bPath}/webhook-deliveries`, { auth: keys['B'] })).json['data'] as unknown[],
    ).toEqual([]);
    const bOnA = await call('DELETE', `${base}/${hookId}`, { auth: keys['B'] });
    expect([bOnA.status, bOnA.json.code]).toEqual([403, 'AUTH.FORBIDDEN']);
    const unknownDelivery = await call(
      'POST',
      `/v1/clinics/${A.clinicId}/webhook-deliveries/00000000-0000-4000-8000-000000000000/resend`,
      { auth: keys['admin'] },
    );
    expect([unknownDelivery.status, unknownDelivery.json.code]).toEqual([404, 'NOT_FOUND']);
    const badId = await call('DELETE', `${base}/not-a-uuid`, { auth: keys['admin'] });
    expect([badId.status, badId.json.code]).toEqual([422, 'VALIDATION.FAILED']);

    // enable: an endpoint disabled for failing comes back on with its failure count reset (the admin
    // screen's switch, the same service path); 404 for another clinic's id or an unknown one, 422 a bad id,
    // 403 for other scopes and for another clinic's key on A's path
    await app.db.query(
      `update public.webhook_endpoints set enabled = false, disabled_reason = 'failing', consecutive_failures = 20
        where id = $1`,
      [hookId],
    );
    const enablePath = `${base}/${hookId}/enable`;
    const enableT = '/v1/clinics/{clinicId}/webhooks/{webhookId}/enable';
    const enableNone = await call('POST', enablePath);
    expect([enableNone.status, enableNone.json.code]).toEqual([401, 'AUTH.REQUIRED']);
    conforms(enableNone, enableT, 'POST');
    const enableByQueue = await call('POST', enablePath, { auth: keys['queue'] });
    expect([enableByQueue.status, enableByQueue.json.code]).toEqual([403, 'AUTH.SCOPE_MISSING']);
    const enableByB = await call('POST', enablePath, { auth: keys['B'] });
    expect([enableByB.status, enableByB.json.code]).toEqual([403, 'AUTH.FORBIDDEN']);
    const enableOnB = await call('POST', `${bPath}/webhooks/${hookId}/enable`, { auth: keys['B'] });
    expect([enableOnB.status, enableOnB.json.code]).toEqual([404, 'NOT_FOUND']);
    conforms(enableOnB, enableT, 'POST');
    const enableUnknown = await call('POST', `${base}/00000000-0000-4000-8000-000000000000/enable`, {
      auth: keys['admin'],
    });
    expect([enableUnknown.status, enableUnknown.json.code]).toEqual([404, 'NOT_FOUND']);
    const enableBad = await call('POST', `${base}/not-a-uuid/enable`, { auth: keys['admin'] });
    expect([enableBad.status, enableBad.json.code]).toEqual([422, 'VALIDATION.FAILED']);
    conforms(enableBad, enableT, 'POST');
    const stillOff = await app.db.query<{ enabled: boolean; consecutive_failures: number }>(
      `select enabled, consecutive_failures from public.webhook_endpoints where id = $1`,
      [hookId],
    );
    expect(stillOff.rows[0]).toEqual({ enabled: false, consecutive_failures: 20 });
    const enabled = await call('POST', enablePath, { auth: keys['admin'] });
    expect(enabled.status).toBe(200);
    conforms(enabled, enableT, 'POST');
    expect(enabled.json).toMatchObject({
      id: hookId,
      enabled: true,
      disabledReason: null,
      consecutiveFailures: 0,
    });

    // delete: 204 with no body, then gone (404), and its deliveries with it
    const deleted = await call('DELETE', `${base}/${hookId}`, { auth: keys['admin'] });
    expect([deleted.status, deleted.text, deleted.headers.get('content-type')]).toEqual([204, '', null]);
    expect(doc.paths['/v1/clinics/{clinicId}/webhooks/{webhookId}']!['delete']!.responses['204']).toEqual({
      description: expect.any(String),
      headers: expect.any(Object),
    });
    const again = await call('DELETE', `${base}/${hookId}`, { auth: keys['admin'] });
    expect([again.status, again.json.code]).toEqual([404, 'NOT_FOUND']);
    const after = await call('GET', `/v1/clinics/${A.clinicId}/webhook-deliveries`, { auth: keys['admin'] });
    expect((after.json['data'] as { webhookId: string }[]).some((d) => d.webhookId === hookId)).toBe(false);
  });

  it("bookings by key: read and cancel within the key's clinic; another clinic's key gets 404 and changes nothing", async () => {
    const slots = await call('GET', `/v1/clinics/${A.clinicId}/slots?from=${tomorrow}&limit=10`);
    const slot = (slots.json['data'] as { start: string }[])[5]!.start;
    const [p] = await app.addPatients(A.clinicId, ['Bilal Key']);
    const booked = await call('POST', '/v1/bookings', {
      auth: keys['bookings'],
      body: { clinicId: A.clinicId, slotStart: slot, patientId: p!.id },
    });
    expect(booked.status).toBe(201);
    const id = booked.json['id'] as string;
    const read = await call('GET', `/v1/bookings/${id}`, { auth: keys['read'] });
    expect(read.status).toBe(200);
    expect(read.json['patientId']).toBe(p!.id);
    conforms(read, '/v1/bookings/{bookingId}', 'GET');
    const foreignRead = await call('GET', `/v1/bookings/${id}`, { auth: keys['B'] });
    expect([foreignRead.status, foreignRead.json.code]).toEqual([404, 'NOT_FOUND']);
    conforms(foreignRead, '/v1/bookings/{bookingId}', 'GET');
    const foreignCancel = await call('POST', `/v1/bookings/${id}/cancel`, { auth: keys['B'], body: {} });
    expect([foreignCancel.status, foreignCancel.json.code]).toEqual([404, 'NOT_FOUND']);
    conforms(foreignCancel, '/v1/bookings/{bookingId}/cancel', 'POST');
    const { rows } = await app.db.query<{ status: string }>(
      'select status::text from public.queue_entries where id = $1',
      [id],
    );
    expect(rows[0]?.status).toBe('scheduled');
    const missing = await call('GET', `/v1/bookings/${crypto.randomUUID()}`, { auth: keys['read'] });
    expect(missing.status).toBe(404);
    const badId = await call('GET', '/v1/bookings/not-an-id', { auth: keys['read'] });
    expect([badId.status, badId.json.code]).toEqual([422, 'VALIDATION.FAILED']);
    conforms(badId, '/v1/bookings/{bookingId}', 'GET');
    const cancelled = await call('POST', `/v1/bookings/${id}/cancel`, {
      auth: keys['bookings'],
      body: { reason: 'patient phoned' },
    });
    expect(cancelled.json).toEqual({ id, status: 'cancelled' });
    const full = await call('POST', '/v1/bookings', {
      auth: keys['bookings'],
      body: { clinicId: A.clinicId, slotStart: '2020-01-01T08:00:00Z', patientId: patientA },
    });
    expect(full.status).toBeGreaterThanOrEqual(400);
    expect(full.status).toBeLessThan(500);
    conforms(full, '/v1/bookings', 'POST');
  });

  it('rate limit on a POST: 429 + Retry-After before anything is written or an Idempotency-Key is spent', async () => {
    const limited = await createKey(A, 'limited-post', ['bookings'], 1);
    const slots = await call('GET', `/v1/clinics/${A.clinicId}/slots?from=${tomorrow}&limit=10`);
    const slot = (slots.json['data'] as { start: string }[])[7]!.start;
    const [p, q] = await app.addPatients(A.clinicId, ['Chama Limit', 'Driss Limit']);
    const body = { clinicId: A.clinicId, slotStart: slot, patientId: p!.id };
    const first = await call('POST', '/v1/bookings', { auth: limited.key, body, idem: 'rl-1' });
    expect(first.status).toBe(201);
    expect(first.headers.get('ratelimit-remaining')).toBe('0');
    const second = await call('POST', '/v1/bookings', {
      auth: limited.key,
      body: { ...body, patientId: q!.id, slotStart: (slots.json['data'] as { start: string }[])[8]!.start },
      idem: 'rl-2',
    });
    expect([second.status, second.json.code]).toEqual([429, 'RATE.LIMITED']);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(second.headers.get('ratelimit-limit')).toBe('1');
    conforms(second, '/v1/bookings', 'POST');
    const { rows } = await app.db.query<{ n: number }>(
      `select count(*)::int as n from public.api_idempotency where idempotency_key = 'rl-2'`,
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('queue pages: a cursor follows on the same version; after a change it is refused (409), not silently shifted', async () => {
    const first = await call('GET', `/v1/clinics/${A.clinicId}/queue?limit=1`, { auth: keys['read'] });
    expect(first.status).toBe(200);
    const cursor = first.json['nextCursor'] as string;
    expect(cursor).toBeTruthy();
    const second = await call('GET', `/v1/clinics/${A.clinicId}/queue?limit=1&cursor=${cursor}`, {
      auth: keys['read'],
    });
    expect(second.status).toBe(200);
    expect((second.json['entries'] as { id: string }[])[0]?.id).not.toBe(
      (first.json['entries'] as { id: string }[])[0]?.id,
    );
    const added = await queueA.addWalkIn(A.clinicId, {
      patientName: 'Walk Page',
      phone: null,
      practitionerId: null,
    });
    expect(added.ok).toBe(true);
    const stale = await call('GET', `/v1/clinics/${A.clinicId}/queue?limit=1&cursor=${cursor}`, {
      auth: keys['read'],
    });
    expect([stale.status, stale.json.code]).toEqual([409, 'QUEUE.CURSOR_STALE']);
    conforms(stale, '/v1/clinics/{clinicId}/queue', 'GET');
  });

  it("a waiting visit's status carries the wait the server estimated (the tracker's figures), null before", async () => {
    const today = new Intl.DateTimeFormat('en-CA', {
      timeZone: middayZone(),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date());
    const slots = await call('GET', `/v1/clinics/${A.clinicId}/slots?from=${today}&to=${today}&limit=5`);
    const slot = (slots.json['data'] as { start: string }[])[0]!.start;
    const [p] = await app.addPatients(A.clinicId, ['Estimate Today']);
    const booked = await call('POST', '/v1/bookings', {
      auth: keys['bookings'],
      body: { clinicId: A.clinicId, slotStart: slot, patientId: p!.id },
    });
    expect(booked.status).toBe(201);
    const entryId = booked.json['id'] as string;
    const token = booked.json['trackingToken'] as string;
    // the patient arrives (fixture: the check-in itself is not what this test is about)
    await app.db.query(
      `update public.queue_entries set status = 'waiting', checked_in_at = private.now() where id = $1`,
      [entryId],
    );
    const before = await call('GET', `/v1/visits/${token}`);
    expect(before.status).toBe(200);
    expect(before.json['status']).toBe('waiting');
    expect(before.json['estimate']).toBeNull();
    conforms(before, '/v1/visits/{token}', 'GET');
    // the server's estimator (edge function queue-estimates, as the stack's timer or pg_cron runs it)
    const res = await fetch(`${app.stack.url}/functions/v1/queue-estimates`, {
      method: 'POST',
      headers: {
        apikey: app.stack.serviceKey,
        authorization: `Bearer ${app.stack.serviceKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ clinic_id: A.clinicId }),
    });
    expect(res.status).toBe(200);
    const { rows: s } = await app.db.query<{
      display_kind: string;
      display_minutes: number | null;
      display_low: number | null;
      display_high: number | null;
      queue_version: number;
    }>(
      `select display_kind, display_minutes, display_low, display_high, queue_version
         from public.queue_entry_estimates where entry_id = $1`,
      [entryId],
    );
    expect(s).toHaveLength(1);
    const after = await call('GET', `/v1/visits/${token}`);
    expect(after.status).toBe(200);
    conforms(after, '/v1/visits/{token}', 'GET');
    expect(after.json['estimate']).toMatchObject({
      kind: s[0]!.display_kind,
      minutes: s[0]!.display_minutes,
      lowMinutes: s[0]!.display_low,
      highMinutes: s[0]!.display_high,
      queueVersion: s[0]!.queue_version,
    });
    expect(after.json['position']).toEqual(expect.any(Number));
  });

  // ── session 7: walk-in, return, transfer, priority, templates, message log, reports ────────────────
  const entryOf = (r: Res) =>
    r.json['entry'] as {
      id: string;
      status: string;
      priority: string;
      practitionerId: string | null;
      kind: string;
    };

  it('walk-in joins: 201 + Location + ETag, read back; 422 invalid, replay returns the first, 403 for another clinic', async () => {
    const joined = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries`, {
      auth: keys['queue'],
      body: { patientName: 'Walk Rest', phone: null },
      idem: `walkin-${process.pid}`,
    });
    expect(joined.status).toBe(201);
    conforms(joined, '/v1/clinics/{clinicId}/queue/entries', 'POST');
    const e = entryOf(joined);
    expect([e.status, e.kind]).toEqual(['waiting', 'walk_in']);
    expect(joined.headers.get('location')).toBe(`/v1/clinics/${A.clinicId}/queue/entries/${e.id}`);
    expect(joined.headers.get('etag')).toBe(`"${joined.json['version'] as number}"`);
    const read = await call('GET', joined.headers.get('location')!, { auth: keys['read'] });
    expect(read.status).toBe(200);
    conforms(read, '/v1/clinics/{clinicId}/queue/entries/{entryId}', 'GET');
    expect((read.json['entry'] as { id: string }).id).toBe(e.id);
    expect(read.headers.get('etag')).toBe(`"${read.json['version'] as number}"`);
    // the same Idempotency-Key: the first answer again, one patient in the queue
    const replay = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries`, {
      auth: keys['queue'],
      body: { patientName: 'Walk Rest', phone: null },
      idem: `walkin-${process.pid}`,
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json).toEqual(joined.json);
    const { rows } = await app.db.query<{ n: number }>(
      `select count(*)::int as n from public.queue_entries e join public.patients p on p.id = e.patient_id
        where e.clinic_id = $1 and p.full_name = 'Walk Rest'`,
      [A.clinicId],
    );
    expect(rows[0]?.n).toBe(1);
    const invalid = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries`, {
      auth: keys['queue'],
      body: { patientName: '', priority: 'emergency' },
    });
    expect([invalid.status, invalid.json.code]).toEqual([422, 'VALIDATION.FAILED']);
    conforms(invalid, '/v1/clinics/{clinicId}/queue/entries', 'POST');
    const badPhone = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries`, {
      auth: keys['queue'],
      body: { patientName: 'Phone Bad', phone: 'not a phone' },
    });
    expect(badPhone.status).toBe(422);
    expect(badPhone.text).not.toContain('not a phone');
    const stale = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries`, {
      auth: keys['queue'],
      body: { patientName: 'Walk Stale' },
      ifMatch: `"${(joined.json['version'] as number) - 1}"`,
    });
    expect([stale.status, stale.json.code]).toEqual([412, 'QUEUE.VERSION_STALE']);
    conforms(stale, '/v1/clinics/{clinicId}/queue/entries', 'POST');
    const foreign = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries`, {
      auth: keys['B'],
      body: { patientName: 'Walk Foreign' },
    });
    expect([foreign.status, foreign.json.code]).toEqual([403, 'AUTH.FORBIDDEN']);
    const scope = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries`, {
      auth: keys['bookings'],
      body: { patientName: 'Walk Scope' },
    });
    expect([scope.status, scope.json.code]).toEqual([403, 'AUTH.SCOPE_MISSING']);
    const { rows: none } = await app.db.query<{ n: number }>(
      `select count(*)::int as n from public.patients where full_name in ('Walk Stale', 'Walk Foreign', 'Walk Scope', 'Phone Bad')`,
    );
    expect(none[0]?.n).toBe(0);
    const ghost = await call('GET', `/v1/clinics/${A.clinicId}/queue/entries/${crypto.randomUUID()}`, {
      auth: keys['read'],
    });
    expect([ghost.status, ghost.json.code]).toEqual([404, 'QUEUE.ENTRY_NOT_FOUND']);
    conforms(ghost, '/v1/clinics/{clinicId}/queue/entries/{entryId}', 'GET');
  });

  it('priority and transfer with a reason, absent → return; If-Match 412, 404, 409, 422; another clinic’s entry is unknown', async () => {
    const joined = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries`, {
      auth: keys['queue'],
      body: { patientName: 'Walk Steps' },
    });
    const id = entryOf(joined).id;
    const etag = joined.headers.get('etag')!;
    const entryPath = (verb: string, entry = id) =>
      `/v1/clinics/${A.clinicId}/queue/entries/${entry}/${verb}`;

    const noReason = await call('POST', entryPath('priority'), {
      auth: keys['queue'],
      body: { priority: 'urgent' },
    });
    expect([noReason.status, noReason.json.code]).toEqual([422, 'VALIDATION.FAILED']);
    conforms(noReason, '/v1/clinics/{clinicId}/queue/entries/{entryId}/priority', 'POST');
    const urgent = await call('POST', entryPath('priority'), {
      auth: keys['queue'],
      body: { priority: 'urgent', reason: 'fever' },
      ifMatch: etag,
    });
    expect(urgent.status).toBe(200);
    conforms(urgent, '/v1/clinics/{clinicId}/queue/entries/{entryId}/priority', 'POST');
    expect(entryOf(urgent).priority).toBe('urgent');
    expect(urgent.json['events']).toEqual([{ type: 'PriorityChanged', entryId: id }]);
    // the ETag read before the change is stale now
    const stale = await call('POST', entryPath('transfer'), {
      auth: keys['queue'],
      body: { practitionerId: A.memberId, reason: 'his doctor' },
      ifMatch: etag,
    });
    expect([stale.status, stale.json.code]).toEqual([412, 'QUEUE.VERSION_STALE']);
    conforms(stale, '/v1/clinics/{clinicId}/queue/entries/{entryId}/transfer', 'POST');
    const moved = await call('POST', entryPath('transfer'), {
      auth: keys['queue'],
      body: { practitionerId: A.memberId, reason: 'his doctor' },
      ifMatch: urgent.headers.get('etag')!,
    });
    expect(moved.status).toBe(200);
    conforms(moved, '/v1/clinics/{clinicId}/queue/entries/{entryId}/transfer', 'POST');
    expect(entryOf(moved).practitionerId).toBe(A.memberId);
    // to a practitioner of another clinic: refused, coded
    const elsewhere = await call('POST', entryPath('transfer'), {
      auth: keys['queue'],
      body: { practitionerId: B.memberId, reason: 'wrong clinic' },
    });
    expect([elsewhere.status, elsewhere.json.code]).toEqual([422, 'VALIDATION.FAILED']);
    const { rows: audit } = await app.db.query<{ practitioner_id: string | null; priority: string }>(
      'select practitioner_id, priority::text from public.queue_entries where id = $1',
      [id],
    );
    expect(audit[0]).toEqual({ practitioner_id: A.memberId, priority: 'urgent' });

    // return: only an absent patient (409 before), then back in line (200), not twice (409)
    const early = await call('POST', entryPath('return'), { auth: keys['queue'] });
    expect([early.status, early.json.code]).toEqual([409, 'QUEUE.ILLEGAL_TRANSITION']);
    conforms(early, '/v1/clinics/{clinicId}/queue/entries/{entryId}/return', 'POST');
    const absent = await call('POST', entryPath('absent'), { auth: keys['queue'] });
    expect(entryOf(absent).status).toBe('absent');
    const back = await call('POST', entryPath('return'), {
      auth: keys['queue'],
      ifMatch: absent.headers.get('etag')!,
    });
    expect(back.status).toBe(200);
    conforms(back, '/v1/clinics/{clinicId}/queue/entries/{entryId}/return', 'POST');
    expect(entryOf(back).status).toBe('waiting');
    expect(back.json['events']).toEqual([{ type: 'PatientReturned', entryId: id }]);
    const twice = await call('POST', entryPath('return'), { auth: keys['queue'] });
    expect(twice.status).toBe(409);

    // unknown entry: 404; clinic B's entry through A's path with A's key: unknown too, B unchanged
    const ghost = await call('POST', entryPath('return', crypto.randomUUID()), { auth: keys['queue'] });
    expect([ghost.status, ghost.json.code]).toEqual([404, 'QUEUE.ENTRY_NOT_FOUND']);
    conforms(ghost, '/v1/clinics/{clinicId}/queue/entries/{entryId}/return', 'POST');
    const queueB = new QueueService({
      repo: new SupabaseQueueRepository(B.client),
      bus: { publish: () => undefined },
      actor: () => B.userId,
    });
    const addedB = await queueB.addWalkIn(B.clinicId, {
      patientName: 'Walk Other',
      phone: null,
      practitionerId: null,
    });
    expect(addedB.ok).toBe(true);
    const bEntry = (
      await app.db.query<{ id: string }>(
        `select e.id from public.queue_entries e join public.patients p on p.id = e.patient_id where p.full_name = 'Walk Other'`,
      )
    ).rows[0]!.id;
    for (const verb of ['priority', 'transfer', 'absent']) {
      const r = await call('POST', entryPath(verb, bEntry), {
        auth: keys['queue'],
        body:
          verb === 'priority'
            ? { priority: 'urgent', reason: 'x' }
            : verb === 'transfer'
              ? { practitionerId: null, reason: 'x' }
              : {},
      });
      expect([r.status, r.json.code], verb).toEqual([404, 'QUEUE.ENTRY_NOT_FOUND']);
    }
    const readB = await call('GET', `/v1/clinics/${A.clinicId}/queue/entries/${bEntry}`, {
      auth: keys['read'],
    });
    expect(readB.status).toBe(404);
    const throughB = await call('POST', `/v1/clinics/${B.clinicId}/queue/entries/${bEntry}/absent`, {
      auth: keys['queue'],
    });
    expect([throughB.status, throughB.json.code]).toEqual([403, 'AUTH.FORBIDDEN']);
    const { rows: b } = await app.db.query<{ status: string; priority: string }>(
      'select status::text, priority::text from public.queue_entries where id = $1',
      [bEntry],
    );
    expect(b[0]).toEqual({ status: 'waiting', priority: 'normal' });
  });

  it('429 on a walk-in: a key over its rate gets Retry-After and nothing is written', async () => {
    const limited = await createKey(A, 'limited-walkin', ['queue'], 1);
    const first = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries`, {
      auth: limited.key,
      body: { patientName: 'Walk Rate One' },
    });
    expect(first.status).toBe(201);
    const second = await call('POST', `/v1/clinics/${A.clinicId}/queue/entries`, {
      auth: limited.key,
      body: { patientName: 'Walk Rate Two' },
    });
    expect([second.status, second.json.code]).toEqual([429, 'RATE.LIMITED']);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    conforms(second, '/v1/clinics/{clinicId}/queue/entries', 'POST');
    const { rows } = await app.db.query<{ n: number }>(
      `select count(*)::int as n from public.patients where full_name = 'Walk Rate Two'`,
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('templates: defaults read by any key, replaced by an admin key (422 unknown variable), refused to others', async () => {
    const all = await call('GET', `/v1/clinics/${A.clinicId}/templates`, { auth: keys['read'] });
    expect(all.status).toBe(200);
    conforms(all, '/v1/clinics/{clinicId}/templates', 'GET');
    const rows = all.json['data'] as { kind: string; language: string; body: string; custom: boolean }[];
    expect(rows.length).toBeGreaterThanOrEqual(27);
    expect(rows.every((t) => !t.custom)).toBe(true);
    const url = `/v1/clinics/${A.clinicId}/templates/your_turn/fr`;
    const saved = await call('PUT', url, {
      auth: keys['admin'],
      body: { body: '  Ticket {ticket} : entrez  ' },
    });
    expect(saved.status).toBe(200);
    conforms(saved, '/v1/clinics/{clinicId}/templates/{kind}/{language}', 'PUT');
    expect(saved.json).toEqual({
      kind: 'your_turn',
      language: 'fr',
      body: 'Ticket {ticket} : entrez',
      custom: true,
    });
    const again = await call('GET', `/v1/clinics/${A.clinicId}/templates`, { auth: keys['queue'] });
    const mine = (again.json['data'] as typeof rows).find(
      (t) => t.kind === 'your_turn' && t.language === 'fr',
    );
    expect(mine).toEqual({
      kind: 'your_turn',
      language: 'fr',
      body: 'Ticket {ticket} : entrez',
      custom: true,
    });
    const unknown = await call('PUT', url, { auth: keys['admin'], body: { body: 'Hello {password}' } });
    expect([unknown.status, unknown.json.code]).toEqual([422, 'TEMPLATE.UNKNOWN_VARIABLE']);
    conforms(unknown, '/v1/clinics/{clinicId}/templates/{kind}/{language}', 'PUT');
    const badKind = await call('PUT', `/v1/clinics/${A.clinicId}/templates/otp/fr`, {
      auth: keys['admin'],
      body: { body: 'x' },
    });
    expect([badKind.status, badKind.json.code]).toEqual([422, 'VALIDATION.FAILED']);
    const queueKey = await call('PUT', url, { auth: keys['queue'], body: { body: 'Ticket {ticket}' } });
    expect([queueKey.status, queueKey.json.code]).toEqual([403, 'AUTH.SCOPE_MISSING']);
    // clinic B's owner (a JWT): the database refuses to write A's template
    const otherOwner = await call('PUT', url, { auth: B.token, body: { body: 'Ticket {ticket}' } });
    expect([otherOwner.status, otherOwner.json.code]).toEqual([403, 'AUTH.FORBIDDEN']);
    conforms(otherOwner, '/v1/clinics/{clinicId}/templates/{kind}/{language}', 'PUT');
    const { rows: db } = await app.db.query<{ body: string }>(
      `select body from public.notification_templates where clinic_id = $1 and kind = 'your_turn' and language = 'fr'`,
      [A.clinicId],
    );
    expect(db).toEqual([{ body: 'Ticket {ticket} : entrez' }]);
  });

  it('message log: keyset pages newest first without gaps or repeats, also across equal instants; a new message does not shift them', async () => {
    // fixture: messages of A, three of them at the same instant, and one of B
    const at = [
      '2026-11-20 10:00:00.000001+00',
      '2026-11-20 10:00:00.000001+00',
      '2026-11-20 10:00:00.000001+00',
      '2026-11-20 09:00:00+00',
      '2026-11-19 09:00:00+00',
    ];
    for (const [i, t] of at.entries())
      await app.db.query(
        `insert into public.notifications (clinic_id, kind, language, body, idempotency_key, status, segments, created_at)
         values ($1, 'your_turn', 'fr', $2, $3, 'sent', 1, $4)`,
        [A.clinicId, `message ${i}`, `log-${process.pid}-${i}`, t],
      );
    await app.db.query(
      `insert into public.notifications (clinic_id, kind, body, idempotency_key, created_at)
       values ($1, 'your_turn', 'of clinic B', $2, '2026-11-20 11:00:00+00')`,
      [B.clinicId, `log-b-${process.pid}`],
    );
    const { rows } = await app.db.query<{ id: string }>(
      `select id from public.notifications where clinic_id = $1 order by created_at desc, id desc`,
      [A.clinicId],
    );
    const expected = rows.map((r) => r.id);
    expect(expected.length).toBeGreaterThanOrEqual(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Res = await call(
        'GET',
        `/v1/clinics/${A.clinicId}/messages?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        {
          auth: keys['read'],
        },
      );
      expect(page.status).toBe(200);
      conforms(page, '/v1/clinics/{clinicId}/messages', 'GET');
      seen.push(...(page.json['data'] as { id: string }[]).map((m) => m.id));
      cursor = page.json['nextCursor'] as string | null;
      if (pages++ === 0) {
        // a message sent while the client pages: on the first page's side of the cursor, not a repeat
        await app.db.query(
          `insert into public.notifications (clinic_id, kind, body, idempotency_key) values ($1, 'your_turn', 'new', $2)`,
          [A.clinicId, `log-new-${process.pid}`],
        );
      }
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(JSON.stringify(seen)).not.toContain('of clinic B');
    const bad = await call('GET', `/v1/clinics/${A.clinicId}/messages?cursor=zzz`, { auth: keys['read'] });
    expect([bad.status, bad.json.code]).toEqual([422, 'VALIDATION.FAILED']);
    conforms(bad, '/v1/clinics/{clinicId}/messages', 'GET');
    const foreign = await call('GET', `/v1/clinics/${A.clinicId}/messages`, { auth: keys['B'] });
    expect([foreign.status, foreign.json.code]).toEqual([403, 'AUTH.FORBIDDEN']);
  });

  it('message log: the channel (WhatsApp too), a fallback and a hard bounce, as the document says', async () => {
    const insert = async (m: {
      channel: string;
      status: string;
      at: string;
      fallbackOf?: string;
      hardBounce?: boolean;
      skipReason?: string;
    }) =>
      (
        await app.db.query<{ id: string }>(
          `insert into public.notifications (clinic_id, kind, language, body, idempotency_key, status, segments,
                                             created_at, channel, fallback_of, hard_bounce, skip_reason)
           values ($1, 'your_turn', 'ar', 'دورك', gen_random_uuid()::text, $2, 1, $3, $4, $5, $6, $7) returning id`,
          [
            A.clinicId,
            m.status,
            m.at,
            m.channel,
            m.fallbackOf ?? null,
            m.hardBounce ?? false,
            m.skipReason ?? null,
          ],
        )
      ).rows[0]!.id;
    // far in the future: the newest three of the log, whatever the other tests wrote
    const wa = await insert({ channel: 'whatsapp', status: 'failed', at: '2031-01-01 10:00:00+00' });
    const sms = await insert({
      channel: 'sms',
      status: 'sent',
      at: '2031-01-01 10:00:01+00',
      fallbackOf: wa,
    });
    const email = await insert({
      channel: 'email',
      status: 'failed',
      at: '2031-01-01 10:00:02+00',
      hardBounce: true,
    });
    const page = await call('GET', `/v1/clinics/${A.clinicId}/messages?limit=3`, { auth: keys['read'] });
    expect(page.status).toBe(200);
    conforms(page, '/v1/clinics/{clinicId}/messages', 'GET');
    const got = (page.json['data'] as Record<string, unknown>[]).map(
      ({ id, channel, fallbackOf, hardBounce, skipReason }) => ({
        id,
        channel,
        fallbackOf,
        hardBounce,
        skipReason,
      }),
    );
    expect(got).toEqual([
      { id: email, channel: 'email', fallbackOf: null, hardBounce: true, skipReason: null },
      { id: sms, channel: 'sms', fallbackOf: wa, hardBounce: false, skipReason: null },
      { id: wa, channel: 'whatsapp', fallbackOf: null, hardBounce: false, skipReason: null },
    ]);
    // the served document names every field, required (a client may rely on them)
    const message = (
      doc as unknown as {
        components: { schemas: Record<string, { properties: object; required: string[] }> };
      }
    ).components.schemas['Message']!;
    for (const field of ['channel', 'skipReason', 'fallbackOf', 'hardBounce']) {
      expect(Object.keys(message.properties)).toContain(field);
      expect(message.required).toContain(field);
    }
    expect(JSON.stringify(message.properties)).toContain('whatsapp');
  });

  it('reports: visits and busy hours for an admin key; 403 for a read key, 422 for a bad range', async () => {
    const visits = await call(
      'GET',
      `/v1/clinics/${A.clinicId}/reports/visits?from=2026-11-01&to=2026-11-30&by=practitioner`,
      {
        auth: keys['admin'],
      },
    );
    expect(visits.status).toBe(200);
    conforms(visits, '/v1/clinics/{clinicId}/reports/visits', 'GET');
    expect(visits.json).toMatchObject({
      from: '2026-11-01',
      to: '2026-11-30',
      period: 'day',
      by: 'practitioner',
    });
    const hours = await call(
      'GET',
      `/v1/clinics/${A.clinicId}/reports/busy-hours?from=2026-11-01&to=2026-11-30`,
      {
        auth: keys['admin'],
      },
    );
    expect(hours.status).toBe(200);
    conforms(hours, '/v1/clinics/{clinicId}/reports/busy-hours', 'GET');
    const reader = await call(
      'GET',
      `/v1/clinics/${A.clinicId}/reports/visits?from=2026-11-01&to=2026-11-30`,
      {
        auth: keys['read'],
      },
    );
    expect([reader.status, reader.json.code]).toEqual([403, 'AUTH.SCOPE_MISSING']);
    const backwards = await call(
      'GET',
      `/v1/clinics/${A.clinicId}/reports/visits?from=2026-11-30&to=2026-11-01`,
      {
        auth: keys['admin'],
      },
    );
    expect([backwards.status, backwards.json.code]).toEqual([422, 'VALIDATION.FAILED']);
    conforms(backwards, '/v1/clinics/{clinicId}/reports/visits', 'GET');
    const missing = await call('GET', `/v1/clinics/${A.clinicId}/reports/busy-hours`, {
      auth: keys['admin'],
    });
    expect(missing.status).toBe(422);
    // a patient's JWT: the database refuses (owners and admins only)
    const patient = await call(
      'GET',
      `/v1/clinics/${A.clinicId}/reports/visits?from=2026-11-01&to=2026-11-30`,
      {
        auth: patientUser.token,
      },
    );
    expect([patient.status, patient.json.code]).toEqual([403, 'AUTH.FORBIDDEN']);
  });

  it("a read-only key is read-only in the database: its identity's JWT straight to PostgREST cannot write, a queue key's can", async () => {
    // the JWT the gateway mints for a key (credentials.ts keyIdentityClaims), used without the gateway
    const identity = async (name: string) => {
      const { rows } = await app.db.query<{ id: string; user_id: string }>(
        `select id, user_id from public.api_keys where clinic_id = $1 and name = $2`,
        [A.clinicId, name],
      );
      const k = rows[0]!;
      const token = await signJwt(
        app.stack.jwtSecret,
        {
          sub: k.user_id,
          role: 'authenticated',
          aud: 'authenticated',
          iss: 'queuemed-api',
          app_metadata: { provider: 'api_key', api_key_id: k.id, clinic_id: A.clinicId },
        },
        300,
      );
      return {
        userId: k.user_id,
        queue: new QueueService({
          repo: new SupabaseQueueRepository(app.client(token)),
          bus: { publish: () => undefined },
          actor: () => k.user_id,
        }),
      };
    };
    const own = await queueA.addWalkIn(A.clinicId, { patientName: 'Walk Waiting', phone: null });
    expect(own.ok).toBe(true);
    const reader = await identity('reader');
    // reading is allowed
    const view = await reader.queue.status(A.clinicId);
    expect(view.ok).toBe(true);
    // writing is not: a walk-in (new patient + entry + event) and a queue step on an existing entry
    const walkIn = await reader.queue.addWalkIn(A.clinicId, { patientName: 'Walk Read Only', phone: null });
    expect(walkIn.ok ? 'ok' : walkIn.error.code).toBe('AUTH.FORBIDDEN');
    const waiting = view.ok ? view.value.entries.find((e) => e.status === 'waiting') : undefined;
    expect(waiting).toBeTruthy();
    const absent = await reader.queue.markAbsent(A.clinicId, { entryId: waiting!.id });
    expect(absent.ok ? 'ok' : absent.error.code).toBe('AUTH.FORBIDDEN');
    const { rows } = await app.db.query<{ status: string; n: number }>(
      `select (select status::text from public.queue_entries where id = $1) as status,
              (select count(*)::int from public.patients where full_name = 'Walk Read Only') as n`,
      [waiting!.id],
    );
    expect(rows[0]).toEqual({ status: 'waiting', n: 0 });
    // the same call as a queue key's identity goes through: the refusal is the scope, not the path
    const desk = await identity('desk');
    const allowed = await desk.queue.addWalkIn(A.clinicId, { patientName: 'Walk Desk Direct', phone: null });
    expect(allowed.ok).toBe(true);
    // and through the gateway, the read key still reads
    const read = await call('GET', `/v1/clinics/${A.clinicId}/queue`, { auth: keys['read'] });
    expect(read.status).toBe(200);
  });
});
