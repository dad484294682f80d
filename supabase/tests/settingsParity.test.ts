/**
 * Settings defaults in one place (issue 11): the domain's ClinicSettingsSchema (src/services/clinic/models/
 * ClinicSettings.ts) is the source; the database's private.clinic_settings_defaults() (what
 * private.effective_settings fills in) and private.clinic_settings_valid (the clinics.settings check) must
 * agree with it over EVERY key, on PGlite and PostgreSQL: same key set, same default values, and the same
 * verdict on a probe value set per key (bounds, one past them, fractions, wrong types, null).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClinicSettingsSchema,
  DEFAULT_CLINIC_SETTINGS,
} from '../../src/services/clinic/models/ClinicSettings';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';

const KEYS = Object.keys(ClinicSettingsSchema.shape).sort();

/** Probe values: every integer bound ±1 of both sides is among them (0..2, 19..21, 49..51, …). */
const PROBES: unknown[] = [
  -1,
  0,
  0.5,
  1,
  2,
  3,
  19,
  20,
  21,
  30,
  49,
  50,
  51,
  99,
  100,
  101,
  239,
  240,
  241,
  364,
  365,
  366,
  1439,
  1440,
  1441,
  9999,
  10_000,
  10_001,
  43_199,
  43_200,
  43_201,
  0.8,
  1.5,
  1.0000001,
  true,
  false,
  null,
  '10',
  'after_next',
  'front',
  'end',
  'later',
  'slotted',
  'fluid',
  '18:00',
  '00:00',
  '23:59',
  '24:00',
  '7:30',
  '18:00:00',
  '18:60',
  ' 18:00',
  '١٨:٠٠',
  'queue',
  [],
  {},
];

describe.each(DB_KINDS)('clinic settings parity with the domain on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('the database fills in the domain defaults, key for key', async () => {
    const { rows } = await t.db.query<{ d: Record<string, unknown>; e: Record<string, unknown> }>(
      `select private.clinic_settings_defaults() as d, private.effective_settings('{}'::jsonb) as e`,
    );
    expect(Object.keys(rows[0]!.d).sort()).toEqual(KEYS);
    expect(rows[0]!.d).toEqual({ ...DEFAULT_CLINIC_SETTINGS });
    expect(rows[0]!.e).toEqual({ ...DEFAULT_CLINIC_SETTINGS });
    expect(Object.keys(DEFAULT_CLINIC_SETTINGS).sort()).toEqual(KEYS);
  });

  it('a clinic setting overrides its default and leaves the others (effective_settings = domain parse)', async () => {
    for (const key of KEYS) {
      const own = {
        [key]:
          key === 'late_return_policy'
            ? 'end'
            : key === 'booking_mode'
              ? 'fluid'
              : key === 'fluid_reminder_time'
                ? '07:30'
                : typeof DEFAULT_CLINIC_SETTINGS[key as keyof typeof DEFAULT_CLINIC_SETTINGS] === 'boolean'
                  ? true
                  : 1,
      };
      const { rows } = await t.db.query<{ e: Record<string, unknown> }>(
        `select private.effective_settings($1::jsonb) as e`,
        [JSON.stringify(own)],
      );
      expect(rows[0]!.e, key).toEqual(ClinicSettingsSchema.parse(own));
    }
  });

  it('the database accepts exactly the settings the domain accepts, for every key', async () => {
    const cases = KEYS.flatMap((key) => PROBES.map((value) => ({ key, value })));
    const { rows } = await t.db.query<{ i: number; ok: boolean }>(
      `select (c.ordinality - 1)::int as i, private.clinic_settings_valid(c.s) as ok
         from jsonb_array_elements($1::jsonb) with ordinality as c(s, ordinality) order by 1`,
      [JSON.stringify(cases.map((c) => ({ [c.key]: c.value })))],
    );
    const mismatches = cases
      .map((c, i) => ({
        ...c,
        db: rows[i]!.ok,
        domain: ClinicSettingsSchema.safeParse({ [c.key]: c.value }).success,
      }))
      .filter((c) => c.db !== c.domain);
    expect(mismatches).toEqual([]);
    // an unknown key is refused by both
    const unknown = await t.db.query<{ ok: boolean }>(
      `select private.clinic_settings_valid('{"no_such_setting": 1}'::jsonb) as ok`,
    );
    expect(unknown.rows[0]!.ok).toBe(false);
    expect(ClinicSettingsSchema.safeParse({ no_such_setting: 1 }).success).toBe(false);
  });
});
