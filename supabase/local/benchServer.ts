/**
 * The benchmarks' stack process (scripts/bench.mjs with BENCH_ROLE=server): spawned here, and its handshake —
 * the one stdout line that carries `url` — read here. Anything else the stack prints on stdout before it (a
 * pino warning, such as the zone-data notice) is passed on to stderr, not mistaken for the handshake.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export interface BenchServed {
  url: string;
  anonKey: string;
  serviceKey: string;
}

export async function spawnBenchServer(
  kind: 'pglite' | 'postgres',
  env: Record<string, string> = {},
): Promise<{ served: BenchServed; child: ChildProcessByStdio<Writable, Readable, null> }> {
  const script = fileURLToPath(new URL('../../scripts/bench.mjs', import.meta.url));
  // BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`): node flags for the stack's process only
  // (node refuses --cpu-prof in NODE_OPTIONS), to profile the stack under a bench's load (issue 12)
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env, BENCH_ROLE: 'server', BENCH_KIND: kind },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const served = await new Promise<BenchServed>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    let found = false;
    rl.on('line', (line) => {
      if (!found) {
        try {
          const parsed = JSON.parse(line) as Partial<BenchServed>;
          if (typeof parsed.url === 'string' && parsed.anonKey && parsed.serviceKey) {
            found = true;
            resolve(parsed as BenchServed);
            return;
          }
        } catch {
          // not JSON: a plain log line
        }
      }
      process.stderr.write(line + '\n');
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { served, child };
}
