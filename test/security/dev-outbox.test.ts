// Issue 10, item 2: one-time codes are never readable by others. Without development mode there is no
// /dev/outbox and no code in the log; with it (explicit, loopback listener only) the outbox answers the
// service-role key only — never the public anon key from /config.json. `npm start` refuses development
// mode on a HOST other than loopback. On PGlite and PostgreSQL.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devModeFromEnv, main } from '../../supabase/local/main';
import { isLoopbackAddress, isLoopbackHost, startStack } from '../../supabase/local/stack';
import { startTestStack, type TestStack } from '../conformance/harness';
import { KINDS, expectNoLeak, raw } from './helpers/stack';

function captureLog() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
  return { lines, logger };
}

describe.each(KINDS)('dev outbox (%s)', (kind) => {
  let plain: TestStack;
  let dev: TestStack;
  const plainLog = captureLog();
  const devLog = captureLog();
  beforeAll(async () => {
    plain = await startTestStack(kind, { logger: plainLog.logger });
    dev = await startTestStack(kind, { logger: devLog.logger, devMode: true });
  });
  afterAll(async () => {
    await plain?.stop();
    await dev?.stop();
  });

  it('without development mode (the default): no /dev/outbox for any key, and neither the code nor the phone is logged', async () => {
    expect((await plain.client().auth.signInWithOtp({ phone: '+212600000101' })).error).toBeNull();
    for (const key of [plain.stack.anonKey, plain.stack.serviceKey]) {
      const r = await raw(plain.stack, '/dev/outbox', { apikey: key, token: key });
      expect(r.status).toBe(404);
      expect(r.text).not.toMatch(/\d{6}/);
    }
    expect(plain.stack.outbox()).toEqual([]);
    const log = plainLog.lines.join('');
    expect(log).toContain('code not delivered');
    expect(log).not.toMatch(/"code":"\d{6}"|QueueMed code/);
    expect(log).not.toContain('600000101');
  });

  it('in development mode the anon key from /config.json is refused (403, no code); the service-role key reads it', async () => {
    expect((await dev.client().auth.signInWithOtp({ phone: '+212600000101' })).error).toBeNull();
    const config = (await raw(dev.stack, '/config.json', { apikey: null })).json as {
      supabaseAnonKey: string;
    };
    const anon = await raw(dev.stack, '/dev/outbox', { apikey: config.supabaseAnonKey });
    expect(anon.status).toBe(403);
    expect(anon.json).toMatchObject({ code: 'DEV.SERVICE_ROLE_REQUIRED' });
    expect(anon.text).not.toMatch(/\d{6}/);
    const anonAsBearer = await raw(dev.stack, '/dev/outbox', {
      apikey: config.supabaseAnonKey,
      token: dev.stack.serviceKey,
    });
    expect(anonAsBearer.status).toBe(403);
    const none = await raw(dev.stack, '/dev/outbox', { apikey: null });
    expect(none.status).toBe(401);
    const service = await raw(dev.stack, '/dev/outbox', { apikey: dev.stack.serviceKey });
    expect(service.status).toBe(200);
    const msgs = service.json as { to: string; body: string }[];
    expect(msgs.at(-1)?.body).toMatch(/QueueMed code: \d{6}/);
    expect(msgs.at(-1)?.to).not.toContain('600000101');
    for (const r of [anon, none, service]) expectNoLeak(r.text, 'dev outbox');
    // the log shows the code (that is the point of development mode) but never the full number
    expect(devLog.lines.join('')).not.toContain('600000101');
  });

  it('email-change codes land there too, with a masked address', async () => {
    const c = dev.client();
    const up = await c.auth.signUp({ email: 'mover@example.test', password: 'secret-pass-123' });
    expect(up.error).toBeNull();
    expect((await c.auth.updateUser({ email: 'moved-here@example.test' })).error).toBeNull();
    const box = (await raw(dev.stack, '/dev/outbox', { apikey: dev.stack.serviceKey })).json as {
      kind: string;
      to: string;
      body: string;
    }[];
    const mail = box.filter((m) => m.kind === 'email').at(-1);
    expect(mail?.to).toBe('m•••@example.test');
    expect(mail?.body).toMatch(/\d{6}/);
  });
});

describe('development mode is for this machine only', () => {
  it('startStack refuses development mode on a listener other than loopback', async () => {
    // refused before the database is touched or a port is opened
    const db = {} as Parameters<typeof startStack>[0]['db'];
    await expect(
      startStack({
        db,
        port: 0,
        host: '0.0.0.0',
        staticDir: null,
        devMode: true,
        logger: pino({ level: 'silent' }),
      }),
    ).rejects.toThrow(/loopback/);
  });

  it('npm start (main) refuses QUEUEMED_DEV_MODE with HOST=0.0.0.0 before opening anything; it is off unless asked for', async () => {
    expect(() => devModeFromEnv({ QUEUEMED_DEV_MODE: '1', HOST: '0.0.0.0' })).toThrow(
      /refused with HOST=0\.0\.0\.0/,
    );
    expect(() => devModeFromEnv({ QUEUEMED_DEV_MODE: 'true', HOST: '192.168.1.20' })).toThrow(
      /HOST=192\.168\.1\.20/,
    );
    expect(devModeFromEnv({})).toBe(false);
    expect(devModeFromEnv({ HOST: '0.0.0.0' })).toBe(false);
    expect(devModeFromEnv({ QUEUEMED_DEV_MODE: '1' })).toBe(true);
    expect(devModeFromEnv({ QUEUEMED_DEV_MODE: '1', HOST: 'localhost' })).toBe(true);
    const saved = { ...process.env };
    const dataDir = mkdtempSync(join(tmpdir(), 'qm-devmode-'));
    Object.assign(process.env, {
      QUEUEMED_DEV_MODE: '1',
      HOST: '0.0.0.0',
      QUEUEMED_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    });
    try {
      await expect(main({ staticDir: null, port: 0 })).rejects.toThrow(/QUEUEMED_DEV_MODE/);
    } finally {
      for (const k of ['QUEUEMED_DEV_MODE', 'HOST', 'QUEUEMED_DATA_DIR', 'LOG_LEVEL']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  it('loopback means 127.0.0.0/8, ::1 and localhost — not 0.0.0.0, ::, or a LAN address', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.1', 'example.test', ''])
      expect(isLoopbackHost(h), h).toBe(false);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::ffff:192.168.1.20')).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
  });
});
