/** Every code the database raises is one of the app's ErrorCodes (src/services/shared/AppError.ts), and
 * every raise uses an HTTP status PostgREST can map (PTxyz). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/services/shared/AppError';
import { SUPABASE_DIR } from '../local/db/migrate';

const migrations = readdirSync(join(SUPABASE_DIR, 'migrations'))
  .filter((f) => f.endsWith('.sql'))
  .map((f) => readFileSync(join(SUPABASE_DIR, 'migrations', f), 'utf8'))
  .join('\n');

describe('database error codes', () => {
  const raised = [...migrations.matchAll(/raise_error\(\s*(\d{3}),\s*'([A-Za-z_.]+)'/g)].map((m) => ({
    status: Number(m[1]),
    code: m[2] ?? '',
  }));

  it('the migrations raise coded errors', () => {
    expect(raised.length).toBeGreaterThan(40);
  });

  it('each code is an app ErrorCode', () => {
    const known = new Set<string>(Object.values(ErrorCodes));
    const unknown = [...new Set(raised.map((r) => r.code))].filter((c) => !known.has(c));
    expect(unknown).toEqual([]);
    expect(known.has('SMS.BUDGET_EXCEEDED')).toBe(true); // returned as a result code by sms_budget_reserve
  });

  it('each status is an HTTP client-error status', () => {
    expect(raised.filter((r) => r.status < 400 || r.status > 499)).toEqual([]);
  });
});
