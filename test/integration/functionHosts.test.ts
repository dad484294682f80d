// Stopping a stack ends its Deno function hosts (supabase/local/functions/runtime.ts): a stopped stack ends
// each host's process group and waits for it; a stack killed -9 closes the hosts' stdin, their lifeline
// (host.js). The stack test phase used to leave ~12 hosts behind with ppid 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startTestStack } from '../conformance/harness';
import { serverBundleEnv, unpackPgliteTemplate } from '../fixtures/dbTemplate';

/** Gone, or a zombie nobody has reaped yet (it runs nothing any more). */
function ended(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Child process ids of `pid` (from /proc: no `ps` needed). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

describe('Deno function hosts end with their stack', () => {
  it('stop() ends the host of an invoked function before it resolves', async () => {
    const t = await startTestStack('pglite');
    let pids: number[] = [];
    try {
      const { error } = await t.client().functions.invoke('echo', { body: { hello: 'host' } });
      expect(error).toBeNull();
      pids = t.stack.functionPids();
      expect(pids.length).toBe(1);
      expect(ended(pids[0]!)).toBe(false);
    } finally {
      await t.stop();
    }
    expect(pids.filter((p) => !ended(p))).toEqual([]);
  });

  describe('a stack process killed -9', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-hosts-'));
    let child: ChildProcess | null = null;
    afterAll(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    it('leaves no function host running', async () => {
      // the stack as `npm start` runs it (main.ts prewarms send-sms, notification-sweep, queue-estimates), on a
      // data folder the run's template already migrated: the hosts are under test, not an initdb (issue 14)
      unpackPgliteTemplate('migrated', join(dir, 'pglite'));
      const c = spawn(process.execPath, [new URL('../fixtures/stackProcess.mjs', import.meta.url).pathname], {
        env: {
          ...process.env,
          ...serverBundleEnv(),
          LOG_LEVEL: 'silent',
          NOTIFICATION_SWEEP_MS: '0',
          QUEUEMED_DATA_DIR: dir,
          DATABASE_URL: '',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child = c;
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: c.stdout! }).on('line', (line) => {
          if (line.startsWith('STACK ')) resolve();
        });
        c.once('exit', (code) => reject(new Error(`stack process exited with ${code}`)));
      });
      const hosts = childrenOf(c.pid!).filter((p) =>
        readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('host.js'),
      );
      expect(hosts.length).toBe(3);
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill('SIGKILL');
      await exited;
      // each host sees its stdin close and exits (how soon is the machine's business: wait, no fixed sleep)
      await vi.waitFor(() => expect(hosts.filter((p) => !ended(p))).toEqual([]), {
        timeout: 30_000,
        interval: 100,
      });
    }, 300_000); // an `npm start` seeding its database (slow on a busy 2-core machine)
  });
});
