/**
 * Security (issue 10): one clinic cannot suppress another's SMS. Idempotency keys are scoped per clinic: a
 * key another clinic recorded first (the entry id is visible on a patient's tracker) neither blocks the real
 * clinic's send nor makes its outbox skip the event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupabaseSmsChannel } from '../../src/services/notification/channels';
import { KINDS, codeOf, startKit, type Clinic, type Kit } from './kit';

describe.each(KINDS)('idempotency keys are per clinic (%s)', (kind) => {
  let k: Kit;
  let attacker: Clinic;
  beforeAll(async () => {
    k = await startKit(kind);
    attacker = await k.newClinic('squatter', []);
  }, 600_000);
  afterAll(async () => {
    await k?.stop();
  });

  const reserveAs = (c: Clinic, clinicId: string, key: string, kindName: string) =>
    c.owner.client.rpc('sms_budget_reserve', {
      p_clinic_id: clinicId,
      p_idempotency_key: key,
      p_kind: kindName,
      p_segments: 1,
      p_cost: 0.25,
    });
  /** A key already in the clinic's log under that text: since sms17 only the server writes the log (a staff
   * token has no grant on sms_budget_reserve), so the squatter's row is the service role's — as if one of the
   * squatter's own messages had been recorded under it. */
  const squat = (c: Clinic, key: string, kindName: string) =>
    k.client(k.stack.serviceKey).rpc('sms_budget_reserve', {
      p_clinic_id: c.clinicId,
      p_idempotency_key: key,
      p_kind: kindName,
      p_segments: 1,
      p_cost: 0.25,
    });

  it("another clinic reserving `cancelled:<entry>` first does not stop the real clinic's cancellation SMS", async () => {
    const real = await k.newClinic('real', [{ name: 'Nadia Real', phone: '+212614000001' }]);
    const entryId = real.patients[0]!.entryId;
    const key = `cancelled:${entryId}`;
    // the attack: the squatter records the key in its own clinic (its own budget, its own log)
    expect(codeOf(await squat(attacker, key, 'cancelled'))).toBe('ok');
    // the real clinic cancels the visit; its browser sends by reference
    await k.logEvent(real, 0, 'EntryCancelled', { ticket: 'A-001' });
    const sent = k.sentCount();
    const r = await new SupabaseSmsChannel(real.owner.client).send({
      clinicId: real.clinicId,
      kind: 'cancelled',
      entryId,
    });
    expect(r.ok ? { status: r.value.status } : r.error.code).toEqual({ status: 'sent' });
    expect(k.sentSince(sent).map((m) => m.to)).toEqual(['+212614000001']);
    const rows = await k.db.query<{ clinic_id: string; status: string }>(
      'select clinic_id, status::text from public.notifications where idempotency_key = $1 order by created_at',
      [key],
    );
    expect(rows.rows).toEqual([
      { clinic_id: attacker.clinicId, status: 'queued' },
      { clinic_id: real.clinicId, status: 'sent' },
    ]);
  });

  it("the outbox sends a clinic's event though another clinic holds a key with the same text", async () => {
    const real = await k.newClinic('outbox', [{ name: 'Omar Outbox', phone: '+212614000002' }]);
    const correlationId = await k.logEvent(real, 0, 'PatientCalled', { ticket: 'A-001', room: 'Salle 1' });
    const key = `your_turn:${real.patients[0]!.entryId}:${correlationId}`;
    expect(codeOf(await squat(attacker, key, 'your_turn'))).toBe('ok');
    const sent = k.sentCount();
    const sweep = await k.http('/functions/v1/notification-sweep', {
      token: k.stack.serviceKey,
      apikey: k.stack.serviceKey,
      body: { min_age_seconds: 0 },
    });
    expect(sweep.status).toBe(200);
    expect(k.sentSince(sent).filter((m) => m.to === '+212614000002')).toEqual([
      expect.objectContaining({
        body: "Cabinet outbox : Omar Outbox, c'est votre tour ! Ticket A-001. Merci de vous présenter : Salle 1.",
      }),
    ]);
  });

  it("a staff token records no key at all, in its own clinic or under another clinic's name: 403, nothing written", async () => {
    const real = await k.newClinic('named', [{ name: 'Named', phone: '+212614000003' }]);
    const before = await k.fingerprint('public.notifications', 'public.sms_budgets');
    const r = await reserveAs(attacker, real.clinicId, `cancelled:${real.patients[0]!.entryId}`, 'cancelled');
    expect(r.status).toBe(403);
    expect(codeOf(r)).toMatch(/permission denied/);
    const own = await reserveAs(attacker, attacker.clinicId, 'own-key', 'cancelled');
    expect([own.status, /permission denied/.test(codeOf(own))]).toEqual([403, true]);
    const raw = await k.http('/rest/v1/rpc/sms_budget_reserve', {
      token: attacker.owner.token,
      body: {
        p_clinic_id: real.clinicId,
        p_idempotency_key: 'x',
        p_kind: 'cancelled',
        p_segments: 1,
        p_cost: 0.25,
      },
    });
    expect(raw.status).toBe(403);
    expect(String(raw.json?.message)).toMatch(/permission denied/);
    expect(await k.fingerprint('public.notifications', 'public.sms_budgets')).toBe(before);
  });
});
