// Issue 12: kill -9 of the stack during a write burst loses no acknowledged save, on PGlite (the database
// dies with the process) and on PostgreSQL. The stack runs as its own process the way `npm start` runs
// it; four writers add walk-ins through QueueService (the app's code) as fast as they can; once a number
// of saves were acknowledged the process gets SIGKILL while writes are in flight. A new process on the
// same data must hold every acknowledged walk-in (and a queue version that counts them).
// The first process starts on a database the run's templates already migrated (test/setup/dbTemplates.ts: a data
// folder unpacked from the PGlite template, a copy of the PostgreSQL template) — what is under test is the kill
// and the restart, not a first migration (issue 14: the two first starts migrating from scratch doubled this
// file's time as the migrations grew, 21 → 46 s). It still applies what npm start applies on top: the seed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { TempPostgres } from '../../supabase/local/db';
import { postgresFromTemplate, serverBundleEnv, unpackPgliteTemplate } from '../fixtures/dbTemplate';
import type { QueueBusEvents } from '../../src/services/queue/api/bus';
import { QueueService } from '../../src/services/queue/QueueService';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { createEventBus } from '../../src/services/shared/EventBus';

interface Served {
  url: string;
  anonKey: string;
  serviceKey: string;
}

const SCRIPT = new URL('../fixtures/stackProcess.mjs', import.meta.url).pathname;

function startProcess(env: Record<string, string>): Promise<{ child: ChildProcess; served: Served }> {
  const child = spawn(process.execPath, [SCRIPT], {
    env: { ...process.env, LOG_LEVEL: 'silent', NOTIFICATION_SWEEP_MS: '0', ...serverBundleEnv(), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (line.startsWith('STACK ')) resolve({ child, served: JSON.parse(line.slice(6)) as Served });
    });
    child.once('exit', (code) => reject(new Error(`stack process exited with ${code}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((r) =>
    child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
  );

describe.each(['pglite', 'postgres'] as const)('kill -9 during a write burst (%s)', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'qm-kill-'));
  let pg: TempPostgres | null = null;
  let child: ChildProcess | null = null;
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged save', async () => {
    const env: Record<string, string> = { QUEUEMED_DATA_DIR: dir };
    if (kind === 'postgres') {
      pg = await postgresFromTemplate('migrated');
      env.DATABASE_URL = pg.url;
    } else {
      env.DATABASE_URL = '';
      unpackPgliteTemplate('migrated', join(dir, 'pglite'));
    }
    const first = await startProcess(env);
    child = first.child;
    const client = createClient(first.served.url, first.served.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as never },
    });
    const { data, error } = await client.auth.signUp({
      email: `kill-${kind}@example.test`,
      password: 'kill-pass-2026',
    });
    if (error || !data.user) throw new Error(`sign-up: ${error?.message}`);
    const made = await client.rpc('create_clinic', {
      p_name: 'Kill',
      p_slug: `kill-${kind}`,
      p_display_name: 'Dr K',
    });
    if (made.error) throw new Error(made.error.message);
    const clinicId = (made.data as { clinic_id: string }).clinic_id;
    const userId = data.user.id;
    const service = new QueueService({
      repo: new SupabaseQueueRepository(client),
      bus: createEventBus<QueueBusEvents>(),
      actor: () => userId,
    });

    const acked: string[] = [];
    const killAt = 12 + Math.floor(Math.random() * 12);
    let killed = false;
    let seq = 0;
    const writer = async () => {
      while (!killed) {
        const name = `Burst ${++seq}`;
        const r = await service.addWalkIn(clinicId, { patientName: name }).catch(() => null);
        if (r?.ok && !killed) {
          acked.push(name);
          if (acked.length >= killAt) {
            killed = true;
            first.child.kill('SIGKILL'); // other writers' requests are in flight right now
          }
        }
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    await exited(first.child);
    expect(first.child.signalCode).toBe('SIGKILL');

    const second = await startProcess(env);
    child = second.child;
    const read = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${second.served.url}/rest/v1/${path}`, {
        headers: { apikey: second.served.serviceKey, authorization: `Bearer ${second.served.serviceKey}` },
      });
      const text = await res.text();
      expect(res.status, text).toBe(200);
      return JSON.parse(text) as T;
    };
    const patients = await read<{ id: string; full_name: string }[]>(
      `patients?clinic_id=eq.${clinicId}&select=id,full_name`,
    );
    const entries = await read<{ patient_id: string }[]>(
      `queue_entries?clinic_id=eq.${clinicId}&select=patient_id`,
    );
    const queued = new Set(entries.map((e) => e.patient_id));
    const names = new Set(patients.filter((p) => queued.has(p.id)).map((p) => p.full_name));
    for (const name of acked) expect(names.has(name), `${name} was acknowledged`).toBe(true);
    const q = await fetch(`${second.served.url}/rest/v1/queues?clinic_id=eq.${clinicId}&select=version`, {
      headers: { apikey: second.served.serviceKey, authorization: `Bearer ${second.served.serviceKey}` },
    });
    const [queue] = (await q.json()) as { version: number }[];
    expect(queue?.version ?? 0).toBeGreaterThanOrEqual(acked.length);
    await client.removeAllChannels();
    second.child.kill('SIGTERM');
    await exited(second.child);
  }, 600_000); // two `npm start`s (slow on a busy 2-core machine)
});
