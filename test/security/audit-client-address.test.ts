/**
 * sec22b: the audit log's client_ip took the FIRST X-Forwarded-For hop (private.audit_origin_ip) — text any caller
 * writes, so a staff member reading a patient's record could sign the audit trail with any address. Now the stack
 * hands the database the client it settled as the request entered (http.ts, QUEUEMED_TRUSTED_PROXIES) as the
 * transaction's queuemed.client_address, and the audit row records that.
 *
 * One stack trusts 127.0.0.2 (requests sent from it with `localAddress`); plain 127.0.0.1 is an untrusted peer.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, startSecurityStack, type SecurityStack } from './helpers/stack';

const PROXY = '127.0.0.2';
const UNTRUSTED = '127.0.0.1';
const PATIENT = 'c0ffee00-0000-4000-8000-0000000000a1';

describe.each(KINDS)('the audit log records the settled client address (%s)', (kind) => {
  let t: SecurityStack;
  let token = '';
  beforeAll(async () => {
    t = await startSecurityStack(kind, { trustedProxies: PROXY });
    const clinic = await t.newClinic('audit-ip');
    token = clinic.token;
    await t.db.query(
      `insert into public.patients (id, clinic_id, full_name, phone) values ($1, $2, 'Salma Audit', '+212600000123')`,
      [PATIENT, clinic.clinicId],
    );
  }, 240_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** A staff read of the patient's record (it writes an audit row) from `from` with the given X-Forwarded-For. */
  const readRecord = (from: string, xff: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const url = new URL(`${t.stack.url}/rest/v1/rpc/get_patient_record`);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          localAddress: from,
          agent: false,
          headers: {
            apikey: t.stack.anonKey,
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'x-forwarded-for': xff,
            'x-real-ip': '6.6.6.7',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ p_patient_id: PATIENT }));
    });
  const lastAuditIp = async (): Promise<string | null> =>
    (
      await t.db.query<{ client_ip: string | null }>(
        `select client_ip from public.audit_log where patient_id = $1 order by id desc limit 1`,
        [PATIENT],
      )
    ).rows[0]?.client_ip ?? null;

  it('a forged X-Forwarded-For from an untrusted peer never reaches the audit row: the socket does', async () => {
    expect(await readRecord(UNTRUSTED, '6.6.6.6')).toBe(200);
    expect(await lastAuditIp()).toBe('127.0.0.1');
  });

  it('behind the trusted proxy: the client it appended, never a hop the caller wrote to its left', async () => {
    expect(await readRecord(PROXY, '6.6.6.6, 198.51.100.60')).toBe(200);
    expect(await lastAuditIp()).toBe('198.51.100.60');
  });
});
