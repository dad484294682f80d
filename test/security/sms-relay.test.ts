/**
 * Security (issue 10): no SMS relay. Each attack is made as another clinic, an anonymous caller or a staff
 * member asking for something not owed — with the real supabase-js and with raw HTTP — and each test
 * asserts the refusal (status + coded error), that Twilio received nothing, and that the rows the attack
 * aimed at are unchanged (fingerprints of whole tables).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupabaseSmsChannel } from '../../src/services/notification/channels';
import { TEST_TWILIO } from '../fixtures/fakeTwilio';
import { KINDS, codeOf, startKit, type Clinic, type Kit } from './kit';

const SMS_TABLES = ['public.notifications', 'public.sms_budgets'];

describe.each(KINDS)('send-sms is no relay (%s)', (kind) => {
  let k: Kit;
  let victim: Clinic;
  let attacker: Clinic;
  // the stack on a fresh database: slow on a loaded machine, not a measurement
  beforeAll(async () => {
    k = await startKit(kind);
    victim = await k.newClinic('victim', [{ name: 'Amina Victim', phone: '+212613000001' }]);
    // anyone can create a clinic: the attacker's own, with a patient of its own
    attacker = await k.newClinic('attacker', [{ name: 'Own Patient', phone: '+212613000002' }]);
  }, 600_000);
  afterAll(async () => {
    await k?.stop();
  });

  const send = (token: string | null, body: unknown) =>
    k.http('/functions/v1/send-sms', { token, body }).then((r) => [r.status, r.json?.code ?? null]);

  it('a free `to` + `body` is refused (400 VALIDATION.FAILED), through supabase-js and raw HTTP; nothing sent or written', async () => {
    const before = await k.fingerprint(...SMS_TABLES);
    const sent = k.sentCount();
    const relay = {
      clinic_id: attacker.clinicId,
      kind: 'your_turn',
      idempotency_key: 'relay-1',
      body: 'CIH BANK: votre carte est bloquee, appelez le +212600000000',
      to: '+212699999999',
    };
    const attempts = [
      relay,
      { ...relay, entry_id: attacker.patients[0]!.entryId },
      { clinic_id: attacker.clinicId, kind: 'your_turn', entry_id: attacker.patients[0]!.entryId, body: 'x' },
      {
        clinic_id: attacker.clinicId,
        kind: 'your_turn',
        entry_id: attacker.patients[0]!.entryId,
        to: '+212699999999',
      },
      { clinic_id: attacker.clinicId, kind: 'staff_invitation', entry_id: attacker.patients[0]!.entryId },
    ];
    const results = [];
    for (const a of attempts) results.push(await send(attacker.owner.token, a));
    expect(results).toEqual(attempts.map(() => [400, 'VALIDATION.FAILED']));
    const viaJs = await attacker.owner.client.functions.invoke('send-sms', { body: relay });
    expect((viaJs.error as { context?: Response } | null)?.context?.status).toBe(400);
    expect(k.sentSince(sent)).toEqual([]);
    expect(await k.fingerprint(...SMS_TABLES)).toBe(before);
  });

  it("a clinic's own staff cannot write the message log: no body, recipient or status of their own (sms17); the sweep sends nothing", async () => {
    // the review's attack: a staff token recorded free text (push begin + defer → the sweep pushed it, then texted
    // it) and forged "sent" lines that spent the month's budget. Those writers are the server's only now.
    const before = await k.fingerprint(...SMS_TABLES);
    const sent = k.sentCount();
    const entryId = victim.patients[0]!.entryId;
    const free = 'FREE TEXT from desk: pay 500 MAD to +447700900999';
    const calls: [string, Record<string, unknown>][] = [
      [
        'sms_budget_reserve',
        {
          p_clinic_id: victim.clinicId,
          p_idempotency_key: 'forge-1',
          p_kind: 'your_turn',
          p_segments: 1,
          p_cost: 0.5,
          p_recipient: '+447700900123',
          p_body: free,
          p_language: 'fr',
        },
      ],
      [
        'notification_push_begin',
        {
          p_clinic_id: victim.clinicId,
          p_idempotency_key: 'free-1',
          p_kind: 'your_turn',
          p_entry_id: entryId,
          p_body: free,
          p_language: 'fr',
        },
      ],
      [
        'sms_budget_settle',
        {
          p_notification_id: '00000000-0000-4000-8000-000000000000',
          p_status: 'sent',
          p_provider_id: 'SMfake',
        },
      ],
      [
        'notification_push_defer',
        {
          p_notification_id: '00000000-0000-4000-8000-000000000000',
          p_error: 'busy',
          p_retry_after_seconds: 1,
        },
      ],
    ];
    const results = [];
    for (const [fn, args] of calls) {
      const r = await victim.owner.client.rpc(fn, args);
      results.push([fn, r.status, /permission denied/.test(r.error?.message ?? '')]);
    }
    expect(results).toEqual(calls.map(([fn]) => [fn, 403, true]));
    const sweep = await k.http('/functions/v1/notification-sweep', {
      token: k.stack.serviceKey,
      apikey: k.stack.serviceKey,
      body: { min_age_seconds: 0 },
    });
    expect(sweep.status).toBe(200);
    expect(k.sentSince(sent).filter((m) => m.body.includes('FREE TEXT') || m.to === '+447700900123')).toEqual(
      [],
    );
    expect(await k.fingerprint(...SMS_TABLES)).toBe(before);
  });

  it("another clinic's patient cannot be texted by reference: 404 under its own clinic id, 403 under the victim's; anonymous 401", async () => {
    const correlationId = await k.logEvent(victim, 0, 'PatientCalled');
    const before = await k.fingerprint(...SMS_TABLES);
    const sent = k.sentCount();
    const entryId = victim.patients[0]!.entryId;
    const results = [
      await send(attacker.owner.token, {
        clinic_id: attacker.clinicId,
        entry_id: entryId,
        kind: 'your_turn',
      }),
      await send(attacker.owner.token, {
        clinic_id: attacker.clinicId,
        entry_id: entryId,
        kind: 'almost_turn',
        position: 1,
      }),
      await send(attacker.owner.token, {
        clinic_id: victim.clinicId,
        entry_id: entryId,
        kind: 'your_turn',
        correlation_id: correlationId,
      }),
      await send(null, { clinic_id: victim.clinicId, entry_id: entryId, kind: 'your_turn' }),
    ];
    expect(results.slice(0, 3)).toEqual([
      [404, 'NOT_FOUND'],
      [404, 'NOT_FOUND'],
      [403, 'AUTH.FORBIDDEN'],
    ]);
    // no token: the functions gateway refuses before the function runs (its own code)
    expect(results[3]?.[0]).toBe(401);
    // the anon key as a bearer token is not a staff member either
    const anon = await k.http('/functions/v1/send-sms', {
      token: k.stack.anonKey,
      body: { clinic_id: victim.clinicId, entry_id: entryId, kind: 'your_turn' },
    });
    expect([401, 403]).toContain(anon.status);
    // review26 L1: answered with an app code and a fixed message, never Postgres' text naming the function
    expect(anon.json?.code).toBe('AUTH.FORBIDDEN');
    expect(JSON.stringify(anon.json)).not.toMatch(/notification_prepare|permission denied/);
    // and through the browser's own channel
    const js = await new SupabaseSmsChannel(attacker.owner.client).send({
      clinicId: victim.clinicId,
      kind: 'your_turn',
      entryId,
      correlationId,
    });
    expect(js.ok ? 'ok' : js.error.code).toBe('AUTH.FORBIDDEN');
    expect(k.sentSince(sent)).toEqual([]);
    expect(await k.fingerprint(...SMS_TABLES)).toBe(before);
  });

  it('own patient, nothing owed: no logged event 404, a position beyond notify_at_position 422, a visit not waiting 409', async () => {
    const own = await k.newClinic('owed', [
      { name: 'Owed Patient', phone: '+212613000003' },
      { name: 'Done Patient', phone: '+212613000004' },
    ]);
    await k.db.query(`update public.queue_entries set status = 'called', called_at = now() where id = $1`, [
      own.patients[1]!.entryId,
    ]);
    const before = await k.fingerprint(...SMS_TABLES);
    const sent = k.sentCount();
    const ref = (over: Record<string, unknown>) => ({
      clinic_id: own.clinicId,
      entry_id: own.patients[0]!.entryId,
      ...over,
    });
    const results = [
      await send(own.owner.token, ref({ kind: 'your_turn' })),
      await send(own.owner.token, ref({ kind: 'cancelled' })),
      await send(own.owner.token, ref({ kind: 'almost_turn', position: 4 })), // default notify_at_position 3
      await send(own.owner.token, ref({ kind: 'almost_turn' })),
      await send(
        own.owner.token,
        ref({ kind: 'almost_turn', position: 1, entry_id: own.patients[1]!.entryId }),
      ),
      await send(own.owner.token, ref({ kind: 'booking_confirmed' })), // a walk-in, not a booking
    ];
    expect(results).toEqual([
      [404, 'NOT_FOUND'],
      [404, 'NOT_FOUND'],
      [422, 'VALIDATION.FAILED'],
      [422, 'VALIDATION.FAILED'],
      [409, 'QUEUE.ILLEGAL_TRANSITION'],
      [409, 'QUEUE.ILLEGAL_TRANSITION'],
    ]);
    expect(k.sentSince(sent)).toEqual([]);
    expect(await k.fingerprint(...SMS_TABLES)).toBe(before);
    // what IS owed goes to the patient on file, with the clinic's text
    const correlationId = await k.logEvent(own, 0, 'PatientCalled', { ticket: 'A-001', room: 'Salle 3' });
    const ok = await send(own.owner.token, ref({ kind: 'your_turn', correlation_id: correlationId }));
    expect(ok).toEqual([200, null]);
    expect(k.sentSince(sent)).toEqual([
      {
        to: '+212613000003',
        from: TEST_TWILIO.from,
        body: "Cabinet owed : Owed Patient, c'est votre tour ! Ticket A-001. Merci de vous présenter : Salle 3.",
      },
    ]);
  });

  it('a clinic sender such as "CIH BANK" is not used until the platform operator approves it; an owner cannot approve', async () => {
    // owners may request a sender (their UPDATE grant); the local gateway has no table PATCH, so as the db owner
    await k.db.query(`update public.clinics set sms_sender = 'CIH BANK' where id = $1`, [attacker.clinicId]);
    const before = await k.fingerprint('public.clinics');
    const selfApprove = await attacker.owner.client.rpc('approve_sms_sender', {
      p_clinic_id: attacker.clinicId,
      p_sender: 'CIH BANK',
    });
    expect(selfApprove.error).not.toBeNull();
    const raw = await k.http('/rest/v1/rpc/approve_sms_sender', {
      token: attacker.owner.token,
      body: { p_clinic_id: attacker.clinicId, p_sender: 'CIH BANK' },
    });
    expect([401, 403]).toContain(raw.status);
    expect(await k.fingerprint('public.clinics')).toBe(before);
    const sent = k.sentCount();
    const correlationId = await k.logEvent(attacker, 0, 'PatientCalled');
    const r = await new SupabaseSmsChannel(attacker.owner.client).send({
      clinicId: attacker.clinicId,
      kind: 'your_turn',
      entryId: attacker.patients[0]!.entryId,
      correlationId,
    });
    expect(r.ok && r.value.status).toBe('sent');
    expect(k.sentSince(sent).map((m) => m.from)).toEqual([TEST_TWILIO.from]);
  });

  it('abuse17: a clinic name with a phone number or a link is refused; a self-made clinic sends nothing until the operator approves it', async () => {
    const someone = await k.signUp('cannon');
    const phishing = await someone.client.rpc('create_clinic', {
      p_name: 'Votre banque: compte bloqué, appelez +447700900999',
      p_slug: `cannon-${process.pid}`,
    });
    expect([phishing.status, codeOf(phishing)]).toEqual([422, 'CLINIC.NAME_NOT_ALLOWED']);
    const held = await k.newClinic('held', [{ name: 'Any Phone', phone: '+212613000009' }]);
    // newClinic approves (the suite's other tests send SMS); the operator holds this one again
    const operator = { token: k.stack.serviceKey, apikey: k.stack.serviceKey };
    const hold = await k.http('/rest/v1/rpc/approve_clinic_sms', {
      ...operator,
      body: { p_clinic_id: held.clinicId, p_approved: false },
    });
    expect(hold.status).toBe(200);
    const selfApprove = await k.http('/rest/v1/rpc/approve_clinic_sms', {
      token: held.owner.token,
      body: { p_clinic_id: held.clinicId, p_approved: true },
    });
    expect([401, 403]).toContain(selfApprove.status);
    const sent = k.sentCount();
    const first = await new SupabaseSmsChannel(held.owner.client).send({
      clinicId: held.clinicId,
      kind: 'your_turn',
      entryId: held.patients[0]!.entryId,
      correlationId: await k.logEvent(held, 0, 'PatientCalled'),
    });
    expect(first.ok && first.value.status).toBe('skipped_budget');
    expect(k.sentSince(sent)).toEqual([]);
    const approve = await k.http('/rest/v1/rpc/approve_clinic_sms', {
      ...operator,
      body: { p_clinic_id: held.clinicId, p_approved: true },
    });
    expect(approve.status).toBe(200);
    const second = await new SupabaseSmsChannel(held.owner.client).send({
      clinicId: held.clinicId,
      kind: 'your_turn',
      entryId: held.patients[0]!.entryId,
      correlationId: await k.logEvent(held, 0, 'PatientCalled'),
    });
    expect(second.ok && second.value.status).toBe('sent');
    expect(k.sentSince(sent).map((m) => m.to)).toEqual(['+212613000009']);
  });

  it('clinic creation is rate-limited per account: the fourth in a day → 429 RATE.LIMITED, nothing written', async () => {
    const someone = await k.signUp('spree');
    for (let i = 0; i < 3; i++) {
      const r = await someone.client.rpc('create_clinic', {
        p_name: `Spree ${i}`,
        p_slug: `spree-${process.pid}-${i}`,
      });
      expect(codeOf(r)).toBe('ok');
    }
    const before = await k.fingerprint('public.clinics', 'public.clinic_members', 'public.sms_budgets');
    const viaJs = await someone.client.rpc('create_clinic', {
      p_name: 'Spree 4',
      p_slug: `spree-${process.pid}-4`,
    });
    expect([viaJs.status, codeOf(viaJs)]).toEqual([429, 'RATE.LIMITED']);
    const raw = await k.http('/rest/v1/rpc/create_clinic', {
      token: someone.token,
      body: { p_name: 'Spree 5', p_slug: `spree-${process.pid}-5` },
    });
    expect([raw.status, raw.json?.message]).toEqual([429, 'RATE.LIMITED']);
    expect(await k.fingerprint('public.clinics', 'public.clinic_members', 'public.sms_budgets')).toBe(before);
  });

  it("budget months out of range ('-infinity', 'infinity', 1900, 2999) → 422 VALIDATION.FAILED, no budget row", async () => {
    const before = await k.fingerprint('public.sms_budgets');
    const codes = [];
    for (const m of ['-infinity', 'infinity', '1900-01-01', '2999-12-01']) {
      const r = await attacker.owner.client.rpc('sms_budget_report', {
        p_clinic_id: attacker.clinicId,
        p_month: m,
      });
      codes.push([m, r.status, codeOf(r)]);
    }
    expect(codes).toEqual([
      ['-infinity', 422, 'VALIDATION.FAILED'],
      ['infinity', 422, 'VALIDATION.FAILED'],
      ['1900-01-01', 422, 'VALIDATION.FAILED'],
      ['2999-12-01', 422, 'VALIDATION.FAILED'],
    ]);
    expect(await k.fingerprint('public.sms_budgets')).toBe(before);
  });
});
