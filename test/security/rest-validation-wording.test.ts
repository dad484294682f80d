// Attack review of session 17, item 4: the REST gateway answered a value that breaks a schema rule with Postgres'
// own wording — PATCH /rest/v1/profiles with a 100 000-character full_name gave 400 "new row for relation
// \"profiles\" violates check constraint \"profiles_full_name_check\"", an unknown enum value or a malformed uuid
// "invalid input value for enum notification_kind" / "invalid input syntax for type uuid". docs/security.md
// promises no Postgres wording in any response. Now 23514, 23502, 22001, 22P02 (and 22003/22007/22008) are 400
// with the SQLSTATE kept as `code`, `message` the app's VALIDATION.FAILED (which mapPostgrestError turns into the
// localised validation message) and a plain `details`. On PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapPostgrestError } from '../../src/services/shared/repositories/postgrest';
import { ErrorCodes } from '../../src/services/shared/AppError';
import { KINDS, expectNoLeak, raw, startSecurityStack, type SecurityStack } from './helpers/stack';

const NAMES =
  /profiles_full_name|notification_templates|notification_kind|app_language|\buuid\b|constraint|relation/i;

describe.each(KINDS)('schema-rule errors carry no Postgres wording (%s)', (kind) => {
  let t: SecurityStack;
  beforeAll(async () => {
    t = await startSecurityStack(kind);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const expectValidation = (
    r: { status: number; error: { code?: string; message?: string; details?: string | null } | null },
    sqlstate: string,
    what: string,
  ) => {
    expect([what, r.status, r.error?.code, r.error?.message]).toEqual([
      what,
      400,
      sqlstate,
      'VALIDATION.FAILED',
    ]);
    const text = JSON.stringify(r.error);
    expectNoLeak(text, what);
    expect(NAMES.test(text), `${what}: ${text}`).toBe(false);
    expect(mapPostgrestError(r.error, r.status).code).toBe(ErrorCodes.VALIDATION_FAILED);
  };

  it('a 100 000-character name (check 23514) and a bidi/control name (the clean-name check) on profiles', async () => {
    const me = await t.signUp('longname');
    const long = await me.client
      .from('profiles')
      .update({ full_name: 'x'.repeat(100_000) })
      .eq('id', me.userId);
    expectValidation(long, '23514', 'long full_name');
    const bidi = await me.client.from('profiles').update({ full_name: 'Amine\u0007' }).eq('id', me.userId);
    expectValidation(bidi, '23514', 'control character in full_name');
  });

  it('a malformed uuid filter and an unknown enum value (22P02), raw HTTP', async () => {
    const me = await t.signUp('badtypes');
    const uuid = await raw(t.stack, '/rest/v1/profiles?id=eq.not-a-uuid', {
      method: 'PATCH',
      token: me.token,
      body: JSON.stringify({ full_name: 'Amine' }),
    });
    const uuidErr = uuid.json as { code?: string; message?: string; details?: string | null };
    expectValidation({ status: uuid.status, error: uuidErr }, '22P02', 'uuid filter');
    const lang = await me.client.from('profiles').update({ preferred_language: 'xx' }).eq('id', me.userId);
    expectValidation(lang, '22P02', 'enum value');
  });

  it('notification_templates: an over-long body (23514) and an unknown kind (22P02) as the clinic owner', async () => {
    const owner = await t.newClinic('tpl');
    const long = await owner.client.from('notification_templates').insert({
      clinic_id: owner.clinicId,
      kind: 'your_turn',
      language: 'fr',
      body: 'y'.repeat(100_000),
    });
    expectValidation(long, '23514', 'long template body');
    const kindBad = await owner.client.from('notification_templates').insert({
      clinic_id: owner.clinicId,
      kind: 'nope',
      language: 'fr',
      body: 'Bonjour',
    });
    expectValidation(kindBad, '22P02', 'template kind');
  });

  it('sec21: unique (23505) and foreign-key (23503) violations keep status and code, not the constraint, columns or values', async () => {
    const owner = await t.newClinic('dup');
    const row = { clinic_id: owner.clinicId, kind: 'your_turn', language: 'fr', body: 'Bonjour' };
    expect((await owner.client.from('notification_templates').insert(row)).error).toBeNull();
    // before: 409 "duplicate key value violates unique constraint \"notification_templates_clinic_key\"",
    // details "Key (clinic_id, kind, language)=(…, your_turn, fr) already exists."
    const dup = await owner.client.from('notification_templates').insert(row);
    const fk = await owner.client
      .from('notification_templates')
      .insert({ ...row, language: 'ar', updated_by: '00000000-0000-4000-8000-00000000dead' });
    for (const [r, sqlstate, what] of [
      [dup, '23505', 'unique'],
      [fk, '23503', 'foreign key'],
    ] as const) {
      expect([what, r.status, r.error?.code, r.error?.message]).toEqual([
        what,
        409,
        sqlstate,
        'VALIDATION.FAILED',
      ]);
      const text = JSON.stringify(r.error);
      expectNoLeak(text, what);
      expect(NAMES.test(text), `${what}: ${text}`).toBe(false);
      expect(text).not.toMatch(/clinic_key|clinic_id|updated_by|your_turn|already exists\.|\(|Key /);
      expect(text).not.toContain(owner.clinicId);
      expect(mapPostgrestError(r.error, r.status).code).toBe(ErrorCodes.VALIDATION_FAILED);
    }
  });
});
