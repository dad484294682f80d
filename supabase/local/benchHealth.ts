/**
 * `npm run bench:health` (issue 12 item 5): does `/health` — which touches no database — wait for PGlite?
 * The stack runs in its own process on a persisted PGlite, once with PGlite on the stack's own thread
 * (QUEUEMED_PGLITE_THREAD=inline, how it ran before) and once in its worker thread (the default). A clinic
 * day of HEALTH_DAY walk-ins is seeded, then HEALTH_WRITERS signed-in clients add walk-ins through the
 * app's QueueService as fast as they can (each one a queue load and a queue save over the whole day),
 * while a probe in its own thread GETs /health every 25 ms. Printed: /health p50/p95/max idle and during
 * the burst, and the burst's commands/s.
 * Env: HEALTH_DAY=150, HEALTH_WRITERS=4, HEALTH_COMMANDS=25 (per writer).
 */
import { spawnBenchServer } from './benchServer';
import { Worker } from 'node:worker_threads';
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { QueueBusEvents } from '../../src/services/queue/api/bus';
import { QueueService } from '../../src/services/queue/QueueService';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { createEventBus } from '../../src/services/shared/EventBus';

const DAY = Number(process.env.HEALTH_DAY ?? 150);
const WRITERS = Number(process.env.HEALTH_WRITERS ?? 4);
const COMMANDS = Number(process.env.HEALTH_COMMANDS ?? 25);

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
};
const ms = (n: number): string => `${n.toFixed(1)} ms`;

/** GETs /health every 25 ms on its own thread (the load generator's loop must not delay the probe). */
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
let on = true;
const lat = [];
parentPort.on('message', () => { on = false; });
(async () => {
  while (on) {
    const t = performance.now();
    const res = await fetch(workerData.url + '/health');
    await res.arrayBuffer();
    const took = performance.now() - t;
    lat.push(took);
    // one probe every 25 ms at most, so both runs put the same load on the stack
    if (took < 25) await new Promise((r) => setTimeout(r, 25 - took));
  }
  parentPort.postMessage(lat);
})();
`;

async function probe<T>(url: string, during: () => Promise<T>): Promise<{ lat: number[]; value: T }> {
  const w = new Worker(PROBE, { eval: true, workerData: { url } });
  const value = await during();
  const lat = await new Promise<number[]>((resolve) => {
    w.once('message', (m: number[]) => resolve(m));
    w.postMessage('stop');
  });
  await w.terminate();
  return { lat, value };
}

async function run(thread: 'inline' | 'worker'): Promise<void> {
  const { served, child } = await spawnBenchServer('pglite', { QUEUEMED_PGLITE_THREAD: thread });
  try {
    const services: QueueService[] = [];
    let clinicId = '';
    for (let i = 0; i < WRITERS; i++) {
      const client = createClient(served.url, served.anonKey, {
        auth: { persistSession: false, autoRefreshToken: false },
        realtime: { transport: WebSocket as never },
      });
      const { data, error } = await client.auth.signUp({
        email: `health-${thread}-${process.pid}-${i}@example.test`,
        password: 'health-pass-2026',
      });
      if (error || !data.user) throw new Error(`sign-up: ${error?.message}`);
      const userId = data.user.id;
      if (i === 0) {
        const made = await client.rpc('create_clinic', {
          p_name: 'Health',
          p_slug: `health-${thread}-${process.pid}`,
          p_display_name: 'Dr H',
        });
        if (made.error) throw new Error(made.error.message);
        clinicId = (made.data as { clinic_id: string }).clinic_id;
      } else {
        const res = await fetch(`${served.url}/rest/v1/clinic_members`, {
          method: 'POST',
          headers: {
            apikey: served.serviceKey,
            authorization: `Bearer ${served.serviceKey}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            clinic_id: clinicId,
            user_id: userId,
            role: 'receptionist',
            display_name: `Rec ${i}`,
          }),
        });
        if (!res.ok) throw new Error(`member: ${res.status} ${await res.text()}`);
      }
      services.push(
        new QueueService({
          repo: new SupabaseQueueRepository(client),
          bus: createEventBus<QueueBusEvents>(),
          actor: () => userId,
        }),
      );
    }
    const first = services[0] as QueueService;
    for (let i = 0; i < DAY; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, DAY - i) }, async (_, k) => {
          const r = await first.addWalkIn(clinicId, { patientName: `Morning ${i + k}` });
          if (!r.ok) throw new Error(`seeding: ${r.error.code}`);
        }),
      );
    }
    const idle = await probe(served.url, () => new Promise((r) => setTimeout(r, 1000)));
    let done = 0;
    const t0 = performance.now();
    const busy = await probe(served.url, () =>
      Promise.all(
        services.map(async (s, w) => {
          for (let i = 0; i < COMMANDS; i++) {
            const r = await s.addWalkIn(clinicId, { patientName: `Burst ${w}-${i}` });
            if (r.ok) done++;
          }
        }),
      ),
    );
    const secs = (performance.now() - t0) / 1000;
    const label =
      thread === 'inline'
        ? 'PGlite on the stack’s own thread (before)'
        : 'PGlite in its worker thread (now)  ';
    console.log(
      `  ${label}: /health idle p50 ${ms(pct(idle.lat, 50))} p95 ${ms(pct(idle.lat, 95))} · during the burst p50 ${ms(pct(busy.lat, 50))} p95 ${ms(pct(busy.lat, 95))} max ${ms(Math.max(...busy.lat))} (n=${busy.lat.length}) · burst ${done} walk-ins in ${secs.toFixed(1)} s (${(done / secs).toFixed(1)}/s)`,
    );
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.stdin.end();
    await exited;
  }
}

export async function runHealthBench(): Promise<void> {
  console.log(
    `QueueMed /health under a write burst — node ${process.version}, PGlite persisted, ${DAY}-entry day, ${WRITERS} writers × ${COMMANDS} walk-ins (QueueService over SupabaseQueueRepository)`,
  );
  const which = process.env.HEALTH_THREAD ?? 'both';
  if (which === 'both' || which === 'inline') await run('inline');
  if (which === 'both' || which === 'worker') await run('worker');
}
