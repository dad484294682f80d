/**
 * review26 L5 (20261227200001_send_sms_caller_limit.sql): send-sms is limited per caller and per clinic, counted in
 * the database before any other work (send_sms_admit with the caller's token). On the local stack with send-sms in
 * real Deno, real supabase-js and a fake Twilio on 127.0.0.1. The limits are lowered for the test (caller 4,
 * clinic 6, a window of an hour that starts at a key's first call — no case depends on the time of day).
 * Before this change every call below answered 200 and each one ran notification_prepare + the service-role calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupabaseSmsChannel } from '../../src/services/notification/channels';
import { KINDS, startKit, type Clinic, type Kit } from './kit';

const SMS_TABLES = ['public.notifications', 'public.sms_budgets'];

describe.each(KINDS)('send-sms per-caller and per-clinic limit (%s)', (kind) => {
  let k: Kit;
  let desk: Clinic;
  let flooder: Clinic;
  beforeAll(async () => {
    k = await startKit(kind);
    desk = await k.newClinic('desk', [
      { name: 'Amina Desk', phone: '+212613100001' },
      { name: 'Karim Desk', phone: '+212613100002' },
    ]);
    // anyone can make a clinic of their own: the flooder's, with a patient of its own
    flooder = await k.newClinic('flooder', [{ name: 'Own Patient', phone: '+212613100003' }]);
    await k.db.query(
      'update private.send_sms_limit set caller_max = 4, clinic_max = 6, window_seconds = 3600',
    );
  }, 600_000);
  afterAll(async () => {
    await k?.stop();
  });

  const send = (token: string | null, body: unknown) => k.http('/functions/v1/send-sms', { token, body });
  const own = (c: Clinic, i: number, correlationId: string) => ({
    clinic_id: c.clinicId,
    entry_id: c.patients[i]!.entryId,
    kind: 'your_turn',
    correlation_id: correlationId,
  });
  const hits = async (scope: string, subject: string) =>
    (
      await k.db.query<{ hits: number }>(
        'select hits from private.send_sms_hits where scope = $1 and subject = $2',
        [scope, subject],
      )
    ).rows[0]?.hits ?? 0;

  it('a caller over the limit gets 429 RATE.LIMITED with Retry-After and sends nothing more; another clinic’s desk is not held back', async () => {
    const first = await k.logEvent(flooder, 0, 'PatientCalled');
    const sent = k.sentCount();
    const statuses: number[] = [];
    // the review's flood: the same owed message again and again (duplicates), in parallel
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => send(flooder.owner.token, own(flooder, 0, first))),
    );
    for (const a of answers) statuses.push(a.status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(k.sentSince(sent)).toHaveLength(1); // one message, three duplicates
    const before = await k.fingerprint(...SMS_TABLES);
    // over: a new message owed to his own patient is not prepared, reserved or sent
    const next = await k.logEvent(flooder, 0, 'PatientCalled');
    const over = await send(flooder.owner.token, own(flooder, 0, next));
    expect(over.status).toBe(429);
    expect(over.json).toEqual({
      code: 'RATE.LIMITED',
      message: 'too many messages asked by this account; try again later',
    });
    const res = await fetch(`${k.stack.url}/functions/v1/send-sms`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        apikey: k.stack.anonKey,
        authorization: `Bearer ${flooder.owner.token}`,
      },
      body: JSON.stringify(own(flooder, 0, next)),
    });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    await res.body?.cancel();
    // through the browser's own channel: the app's code
    const js = await new SupabaseSmsChannel(flooder.owner.client).send({
      clinicId: flooder.clinicId,
      kind: 'your_turn',
      entryId: flooder.patients[0]!.entryId,
      correlationId: next,
    });
    expect(js.ok ? 'ok' : js.error.code).toBe('RATE.LIMITED');
    expect(k.sentSince(sent)).toHaveLength(1);
    expect(await k.fingerprint(...SMS_TABLES)).toBe(before);
    // the counts stop at max + 1: a refused loop moves nothing
    expect(await hits('caller', flooder.owner.userId)).toBe(5);

    // clinic A's desk, through supabase-js, right after: sent, not limited by the flooder
    const deskEvent = await k.logEvent(desk, 0, 'PatientCalled');
    const deskSent = await new SupabaseSmsChannel(desk.owner.client).send({
      clinicId: desk.clinicId,
      kind: 'your_turn',
      entryId: desk.patients[0]!.entryId,
      correlationId: deskEvent,
    });
    expect(deskSent.ok && deskSent.value.status).toBe('sent');
    expect(k.sentSince(sent).map((m) => m.to)).toEqual(['+212613100003', '+212613100001']);
  });

  it('attacks: another clinic’s id, a forged user id in the body, the anon key, no token — none spends the clinic’s budget or sends', async () => {
    const stranger = await k.signUp('stranger');
    const deskEvent = await k.logEvent(desk, 1, 'PatientCalled');
    const before = await k.fingerprint(...SMS_TABLES);
    const sent = k.sentCount();
    const deskCount = await hits('clinic', desk.clinicId);
    const victimRef = own(desk, 1, deskEvent);
    // another clinic's id: refused by the database (403), each refusal counted against the stranger only
    const asStranger = [];
    for (let i = 0; i < 6; i++) asStranger.push((await send(stranger.token, victimRef)).status);
    expect(asStranger).toEqual([403, 403, 403, 403, 429, 429]);
    expect(await hits('caller', stranger.userId)).toBe(5);
    expect(await hits('clinic', desk.clinicId)).toBe(deskCount);
    // a user id, a caller or a clinic budget in the body: refused by the strict schema (the limit keys on the
    // verified token's user, never on the body)
    for (const forged of [
      { ...victimRef, user_id: desk.owner.userId },
      { ...victimRef, caller: desk.owner.userId },
      { ...victimRef, rate_limit: 1000 },
    ]) {
      const r = await send(flooder.owner.token, forged);
      expect([r.status, r.json?.code]).toEqual([400, 'VALIDATION.FAILED']);
    }
    // the anon key as a bearer: refused as before (review26 L1's coded answer), nothing counted; no token: 401
    const anon = await send(k.stack.anonKey, victimRef);
    expect([401, 403]).toContain(anon.status);
    expect(anon.json?.code).toBe('AUTH.FORBIDDEN');
    expect(JSON.stringify(anon.json)).not.toMatch(/send_sms_admit|permission denied/);
    expect((await send(null, victimRef)).status).toBe(401);
    expect(k.sentSince(sent)).toEqual([]);
    expect(await k.fingerprint(...SMS_TABLES)).toBe(before);
    expect(await hits('clinic', desk.clinicId)).toBe(deskCount);
  });

  it('per clinic: the clinic’s own staff together; the service role (the sweep’s path) is never limited', async () => {
    // the desk's owner has sent one message (first case); the clinic's count holds only its own staff's calls
    const c = await k.newClinic('busy', [{ name: 'Salma Busy', phone: '+212613100004' }]);
    const ev = await k.logEvent(c, 0, 'PatientCalled');
    const sent = k.sentCount();
    const ref = own(c, 0, ev);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(c.owner.token, ref)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    // the caller's own limit is reached; with it raised, the clinic's last 2 are spent, then the clinic's limit
    await k.db.query('update private.send_sms_limit set caller_max = 100');
    const more = [];
    for (let i = 0; i < 3; i++) more.push((await send(c.owner.token, ref)).status);
    expect(more).toEqual([200, 200, 429]);
    const over = await send(c.owner.token, ref);
    expect(over.json?.message).toBe('too many messages asked for this clinic; try again later');
    await k.db.query('update private.send_sms_limit set caller_max = 4');
    // the service role: never counted, never refused
    const service = [];
    for (let i = 0; i < 8; i++) {
      const r = await k.http('/functions/v1/send-sms', {
        token: k.stack.serviceKey,
        apikey: k.stack.serviceKey,
        body: ref,
      });
      service.push([r.status, r.json?.duplicate]);
    }
    expect(service).toEqual(Array.from({ length: 8 }, () => [200, true]));
    expect(k.sentSince(sent)).toHaveLength(1);
    const rows = await k.db.query<{ n: number }>(
      `select count(*)::int as n from private.send_sms_hits where subject not in
         (select id from auth.users union all select id from public.clinics)`,
    );
    expect(rows.rows[0]!.n).toBe(0);
  });
});
