// sec20 item 4 — per-account sign-in lockout. Password failures were limited per address (auth-spray.test.ts) and
// per address + identifier only: guesses spread over many addresses had no end on one account. Now GoTrue counts an
// account's FAILED password sign-ins whatever the address (supabase/local/auth/sprayLimit.ts, scope
// sign_in_account, on the auth clock; env QUEUEMED_SIGNIN_ACCOUNT_MAX / _WINDOW_SECONDS). Over the limit, every
// password sign-in of that account answers 429 over_request_rate_limit with Retry-After — even the right password —
// and the lock is bounded: it ends with the window the first failure opened, however many guesses follow (they are
// refused unchecked and not counted). A proven way in clears it: an SMS code sign-in, a password set by the signed-in
// user, a right password below the limit. An unknown account answers exactly like a known one. Limits small here,
// the auth clock pinned; on PGlite and PostgreSQL.
import { request } from 'node:http';
import bcrypt from 'bcryptjs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call } from '../conformance/harness';
import { KINDS, LEAKS, startSecurityStack, type SecurityStack } from './helpers/stack';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
const RIGHT = 'secret-pass-123';
const DAY = 24 * 60 * MIN;

/** A password sign-in from the given loopback source address (Linux routes all of 127/8 to this machine). */
const signInFrom = (url: string, apikey: string, localAddress: string, email: string, password: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(
      `${url}/auth/v1/token?grant_type=password`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json', apikey } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ email, password }));
  });

describe.each(KINDS)('password failures per account (%s)', (kind) => {
  let t: SecurityStack;
  let now = T0;
  const logLines: string[] = [];
  beforeAll(async () => {
    t = await startSecurityStack(kind, {
      logger: pino({ level: 'info' }, { write: (s: string) => void logLines.push(s) }),
      auth: {
        now: () => now,
        signInLimit: { max: 30, windowMs: 5 * MIN },
        signInIpLimit: { max: 1000, windowMs: 15 * MIN },
        signInAccountLimit: { max: 3, windowMs: 15 * MIN },
      },
    });
  }, 240_000);
  afterAll(async () => {
    await t?.stop();
  });

  const signIn = (body: { email?: string; phone?: string }, password: string) =>
    call(t.stack, '/auth/v1/token?grant_type=password', {
      method: 'POST',
      body: JSON.stringify({ ...body, password }),
    });
  const statuses = async (body: { email?: string; phone?: string }, passwords: string[]) => {
    const out: number[] = [];
    for (const p of passwords) out.push((await signIn(body, p)).status);
    return out;
  };

  it('3 wrong passwords lock the account: 429 with Retry-After even for the right one, the same for an unknown account; other accounts are not touched', async () => {
    now = T0;
    const victim = await t.signUp('lock-victim');
    const other = await t.signUp('lock-other');
    expect(await statuses({ email: victim.email }, ['w1', 'w2', 'w3', 'w4', RIGHT])).toEqual([
      400, 400, 400, 429, 429,
    ]);
    const locked = await signIn({ email: victim.email.toUpperCase() }, RIGHT); // the same account, however spelt
    expect(locked.status).toBe(429);
    expect(locked.json).toMatchObject({ error_code: 'over_request_rate_limit' });
    const retry = Number(locked.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    for (const leak of LEAKS) expect(locked.text).not.toMatch(leak);
    // the same address signs another account in: the lock is the account's, not the address's
    expect((await signIn({ email: other.email }, RIGHT)).status).toBe(200);
    // an account that does not exist answers exactly the same way (no account discovery through the lock)
    expect(await statuses({ email: `nobody-${victim.email}` }, ['w1', 'w2', 'w3', 'w4'])).toEqual([
      400, 400, 400, 429,
    ]);
  });

  it('bounded: 200 more guesses while locked do not lengthen the lock; when its window ends the right password works', async () => {
    now = T0 + 60 * MIN;
    const victim = await t.signUp('lock-bounded');
    await statuses({ email: victim.email }, ['w1', 'w2', 'w3']);
    for (let i = 0; i < 20; i++) {
      now += 40_000; // an attacker keeps trying for 13 minutes
      expect((await signIn({ email: victim.email }, `guess-${i}`)).status).toBe(429);
    }
    now = T0 + 60 * MIN + 15 * MIN + 1;
    expect((await signIn({ email: victim.email }, RIGHT)).status).toBe(200);
  });

  it('a right password below the limit clears the count; setting a new password while signed in lifts a lock', async () => {
    now = T0 + 120 * MIN;
    const a = await t.signUp('lock-clear');
    expect(await statuses({ email: a.email }, ['w1', 'w2', RIGHT, 'w3', 'w4', RIGHT])).toEqual([
      400, 400, 200, 400, 400, 200,
    ]);
    await statuses({ email: a.email }, ['w1', 'w2', 'w3']);
    // (this address signed in above, so it is known — review21 M4; the lock shows from a new one)
    const elsewhere = (password: string) =>
      signInFrom(t.stack.url, t.stack.anonKey, '127.0.0.5', a.email, password);
    expect(await elsewhere(RIGHT)).toBe(429);
    // the reset path: the user, signed in (e.g. by an emailed or SMS code), sets a new password
    const { error } = await a.auth.auth.updateUser({ password: 'a-new-pass-456' });
    expect(error).toBeNull();
    expect(await elsewhere('a-new-pass-456')).toBe(200);
  });

  it('an SMS code sign-in (the phone proven) lifts the lock of the account, by phone and by email', async () => {
    now = T0 + 180 * MIN;
    const a = await t.signUp('lock-otp');
    const phone = '212612300777';
    await t.db.query(`update auth.users set phone = $2, phone_confirmed_at = now() where id = $1`, [
      a.userId,
      phone,
    ]);
    await statuses({ phone: `+${phone}` }, ['w1', 'w2', 'w3']);
    expect((await signIn({ phone: `+${phone}` }, RIGHT)).status).toBe(429);
    // review23 L3: one account, one count — the lock made by phone holds for its email too (before: 200)
    expect((await signIn({ email: a.email }, RIGHT)).status).toBe(429);
    expect(await signInFrom(t.stack.url, t.stack.anonKey, '127.0.0.6', a.email, RIGHT)).toBe(429);
    const otp = await call(t.stack, '/auth/v1/otp', { method: 'POST', body: JSON.stringify({ phone }) });
    expect(otp.status).toBe(200);
    const verify = await call(t.stack, '/auth/v1/verify', {
      method: 'POST',
      body: JSON.stringify({ phone, token: t.lastCode(phone), type: 'sms' }),
    });
    expect(verify.status).toBe(200);
    expect((await signIn({ phone: `+${phone}` }, RIGHT)).status).toBe(200);
    expect((await signIn({ email: a.email }, RIGHT)).status).toBe(200);
  });

  it('review23 L3: an account with an email and a phone has ONE count: guesses by either identifier (however the phone is spelt) spend it; unknown identifiers lock alike', async () => {
    now = T0 + 200 * MIN;
    const a = await t.signUp('lock-one-count');
    const phone = '212612300778';
    await t.db.query(`update auth.users set phone = $2, phone_confirmed_at = now() where id = $1`, [
      a.userId,
      phone,
    ]);
    // before: 2 + 1 failures on two counters (3 each) locked nothing; now the 3rd failure locks the account
    expect(await statuses({ email: a.email }, ['w1', 'w2'])).toEqual([400, 400]);
    expect(await statuses({ phone: '+212 (0) 612300778' }, ['w3'])).toEqual([400]); // the trunk 0 dropped (L6)
    expect((await signIn({ email: a.email }, RIGHT)).status).toBe(429);
    expect((await signIn({ phone: `+${phone}` }, RIGHT)).status).toBe(429);
    expect(await signInFrom(t.stack.url, t.stack.anonKey, '127.0.0.7', a.email, RIGHT)).toBe(429);
    // an unknown email and an unknown phone answer exactly as a known account does (no account discovery)
    expect(await statuses({ email: `nobody-${a.email}` }, ['w1', 'w2', 'w3', RIGHT])).toEqual([
      400, 400, 400, 429,
    ]);
    expect(await statuses({ phone: '+212699000333' }, ['w1', 'w2', 'w3', RIGHT])).toEqual([
      400, 400, 400, 429,
    ]);
    // the window ends: the right password works by either identifier
    now += 15 * MIN + 1;
    expect((await signIn({ phone: `+${phone}` }, RIGHT)).status).toBe(200);
    expect((await signIn({ email: a.email }, RIGHT)).status).toBe(200);
  });

  it('review21 M4: an address the account signed in from before keeps signing in while failures from elsewhere lock it; others stay locked; the mark lasts 30 days', async () => {
    now = T0 + 240 * MIN;
    const a = await t.signUp('lock-known');
    const from = (address: string, password: string) =>
      signInFrom(t.stack.url, t.stack.anonKey, address, a.email, password);
    expect(await from('127.0.0.2', RIGHT)).toBe(200); // the clinic's own network
    const attacker = [];
    for (const p of ['w1', 'w2', 'w3', 'w4', RIGHT]) attacker.push(await from('127.0.0.3', p));
    expect(attacker).toEqual([400, 400, 400, 429, 429]);
    expect(await from('127.0.0.4', RIGHT)).toBe(429); // a new address: the lock holds
    expect(await from('127.0.0.2', RIGHT)).toBe(200); // the known one: the owner is not locked out
    // … and that sign-in did not lift the lock for the others (mreview21 M1: no fresh budget for a guesser)
    expect(await from('127.0.0.4', RIGHT)).toBe(429);
    // while the lock holds, the known address (a network: clinic Wi-Fi, carrier NAT) has a budget of its own
    expect([
      await from('127.0.0.2', 'x1'),
      await from('127.0.0.2', 'x2'),
      await from('127.0.0.2', 'x3'),
    ]).toEqual([400, 400, 400]);
    expect(await from('127.0.0.2', RIGHT)).toBe(429); // spent: the known address waits like the others
    expect(await from('127.0.0.4', RIGHT)).toBe(429);
    // 31 days later the address is no longer known: a fresh lock stops it too
    now += 31 * DAY;
    for (const p of ['w1', 'w2', 'w3']) expect(await from('127.0.0.3', p)).toBe(400);
    expect(await from('127.0.0.2', RIGHT)).toBe(429);
  });

  it('review21 L8: one log line when an account locks, none for each refused try after it', async () => {
    now = T0 + 400 * DAY;
    const a = await t.signUp('lock-log');
    const lockLines = () => logLines.filter((l) => l.includes('"limit":"sign_in_account"')).length;
    const before = lockLines();
    expect(await statuses({ email: a.email }, ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', RIGHT])).toEqual([
      400, 400, 400, 429, 429, 429, 429,
    ]);
    expect(lockLines() - before).toBe(1);
    for (const l of logLines) expect(l).not.toContain(a.email);
  });

  /** How often bcrypt compared a password while `run` ran (the password check; review22 M1/M2). */
  const comparisons = async (run: () => Promise<unknown>) => {
    const spy = vi.spyOn(bcrypt, 'compare');
    try {
      await run();
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  };
  const tally = (xs: number[]) => {
    const out: Record<number, number> = {};
    for (const x of xs) out[x] = (out[x] ?? 0) + 1;
    return out;
  };

  it('review22 M1: a parallel burst of 40 wrong passwords reaches the password check at most `max` times, the rest 429; the right password stays refused; one lock line', async () => {
    now = T0 + 500 * DAY;
    const a = await t.signUp('lock-burst');
    const before = logLines.filter((l) => l.includes('"limit":"sign_in_account"')).length;
    let out: number[] = [];
    const checked = await comparisons(async () => {
      out = await Promise.all(
        Array.from({ length: 40 }, (_, i) => signIn({ email: a.email }, `burst-${i}`)).map((p) =>
          p.then((r) => r.status),
        ),
      );
    });
    // before: 18–40 of them were checked (the counters were read before bcrypt and written after it)
    expect(checked).toBe(3);
    expect(tally(out)).toEqual({ 400: 3, 429: 37 });
    expect(logLines.filter((l) => l.includes('"limit":"sign_in_account"')).length - before).toBe(1);
    // locked: the right password is refused from an address it never signed in from, and from this one
    expect(await signInFrom(t.stack.url, t.stack.anonKey, '127.0.0.8', a.email, RIGHT)).toBe(429);
    expect((await signIn({ email: a.email }, RIGHT)).status).toBe(429);
  });

  it('review22 M1: the burst spread over 30 addresses (each its own per-address budget) still reaches the check at most `max` times', async () => {
    now = T0 + 600 * DAY;
    const a = await t.signUp('lock-spread');
    let out: number[] = [];
    const checked = await comparisons(async () => {
      out = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          signInFrom(t.stack.url, t.stack.anonKey, `127.0.1.${i + 1}`, a.email, `spread-${i}`),
        ),
      );
    });
    expect(checked).toBe(3);
    expect(tally(out)).toEqual({ 400: 3, 429: 27 });
    expect(await signInFrom(t.stack.url, t.stack.anonKey, '127.0.2.1', a.email, RIGHT)).toBe(429);
  });

  it('review22 M2: an unknown e-mail or phone, or an account without a password, costs the same one bcrypt comparison as a wrong password (no account discovery by timing)', async () => {
    now = T0 + 700 * DAY;
    const a = await t.signUp('timing-real');
    const b = await t.signUp('timing-nopass');
    await t.db.query(`update auth.users set encrypted_password = null where id = $1`, [b.userId]);
    const hashes: string[] = [];
    const one = (body: { email?: string; phone?: string }) =>
      comparisons(async () => {
        const spy = vi.mocked(bcrypt.compare);
        expect((await signIn(body, 'not-the-password')).status).toBe(400);
        hashes.push(String(spy.mock.calls[0]?.[1]));
      });
    expect(await one({ email: a.email })).toBe(1);
    // before: 0 — the unknown account skipped bcrypt and answered about 10× faster
    expect(await one({ email: `nobody-${a.email}` })).toBe(1);
    expect(await one({ phone: '+212699000111' })).toBe(1);
    expect(await one({ email: b.email })).toBe(1);
    // the stand-in hash has the cost this stack hashes passwords with (the real account's, hashes[0]), so each
    // comparison takes as long — whatever the configured cost (10 in production, lower in these tests)
    const cost = (h: string) => /^\$2[aby]\$(\d\d)\$/.exec(h)?.[1];
    expect(cost(hashes[0]!)).toBeDefined();
    for (const h of hashes.slice(1)) expect(cost(h)).toBe(cost(hashes[0]!));
  });
});
