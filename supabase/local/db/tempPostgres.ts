/**
 * A throw-away PostgreSQL server for tests: initdb into a fresh temporary folder, start `postgres` on a
 * free port, wait until it accepts connections, hand back its URL. PostgreSQL refuses to run as root, so
 * when we are root the server runs as `nobody` (the folder is given to that user).
 *
 * `DATABASE_URL` overrides all that: then a fresh database is created on that server instead, and
 * dropped again on stop().
 */
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  rmSync,
  chownSync,
  readdirSync,
  statSync,
  statfsSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TempPostgres {
  url: string;
  stop(): Promise<void>;
  /**
   * Stops the server the way a crash or `pg_ctl stop -m immediate` does (SIGQUIT: no checkpoint, clients
   * cut off), keeping its data; `resume()` starts it again on the same port (crash recovery runs).
   * Only for a server this helper started (not with DATABASE_URL).
   */
  halt(): Promise<void>;
  resume(): Promise<void>;
}

export interface TempPostgresOptions {
  /** Ignore DATABASE_URL (default false). */
  ignoreEnv?: boolean;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
  /**
   * The folder the server's own temporary folder is made in. Default: QUEUEMED_PG_TMPDIR if set; else, for a server
   * that keeps fsync off (the throw-away default), /dev/shm when the machine has it (memory); else the system's
   * temporary folder. A server asked to fsync (a durability benchmark) stays on the disk it is meant to measure.
   */
  parentDir?: string;
}

/**
 * Memory for a throw-away cluster (s31, issue 14, CI time): every test file's `create database … template` writes a
 * thousand-odd relation files and its drop deletes them; on the disk's file system (ext4) that file creation was the
 * largest part of PostgreSQL's kernel time in a db-suite run (perf). Its data never outlives the run either way.
 */
const clusterParent = (options: TempPostgresOptions): string => {
  if (options.parentDir !== undefined) return options.parentDir;
  const env = process.env.QUEUEMED_PG_TMPDIR;
  if (env !== undefined && env !== '') return env;
  if ((options.settings?.fsync ?? 'off') === 'off') {
    try {
      accessSync(SHM, constants.W_OK);
      const room = statfsSync(SHM);
      if (statSync(SHM).isDirectory() && room.bavail * room.bsize >= shmMinFree()) return SHM;
    } catch {
      // no /dev/shm here: the temporary folder
    }
  }
  return tmpdir();
};
const SHM = '/dev/shm';
/**
 * The room /dev/shm must have free to be used: a run holds a template cluster and several test databases at once
 * (≈ 100–300 MB each). A container's small /dev/shm (Docker's default is 64 MB) would fail initdb or a template copy
 * with ENOSPC: the temporary folder then, as before. QUEUEMED_PG_SHM_MIN_FREE (bytes) sets another bound.
 */
const shmMinFree = (): number => Number(process.env.QUEUEMED_PG_SHM_MIN_FREE ?? 2 * 1024 ** 3);

const findBinDir = (): string => {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv !== undefined && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    const v = versions.find((x) => x === '15') ?? versions[0];
    if (v !== undefined) return join(root, v, 'bin');
  }
  try {
    const p = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(p, 'initdb'))) return p;
  } catch {
    // fall through
  }
  throw new Error('PostgreSQL binaries not found: set PG_BIN_DIR or DATABASE_URL');
};

/**
 * A free port: the OS's choice, or with QUEUEMED_PG_PORTS=<from>-<to> the first free one in that range (on a
 * machine shared by several engineers each keeps to their own ports).
 */
const freePort = async (): Promise<number> => {
  const range = /^(\d+)-(\d+)$/.exec(process.env.QUEUEMED_PG_PORTS ?? '');
  if (range === null) return tryPort(0);
  for (let p = Number(range[1]); p <= Number(range[2]); p++) {
    const got = await tryPort(p).catch(() => null);
    if (got !== null) return got;
  }
  throw new Error(`no free port in QUEUEMED_PG_PORTS=${process.env.QUEUEMED_PG_PORTS}`);
};

const tryPort = (want: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(want, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;
const NOBODY = { uid: 65534, gid: 65534 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const waitReady = async (url: string, child: ChildProcess, log: () => string): Promise<void> => {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}):\n${log()}`);
    const c = new pg.Client({ connectionString: url });
    try {
      await c.connect();
      await c.query('select 1');
      await c.end();
      return;
    } catch {
      await c.end().catch(() => {});
      await sleep(100);
    }
  }
  throw new Error(`postgres did not become ready:\n${log()}`);
};

const fromExisting = async (baseUrl: string): Promise<TempPostgres> => {
  const name = `qm_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  const unsupported = () =>
    Promise.reject(new Error('halt/resume need a server started by the test (ignoreEnv)'));
  return {
    url: u.toString(),
    halt: unsupported,
    resume: unsupported,
    async stop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
};

export const startTempPostgres = async (options: TempPostgresOptions = {}): Promise<TempPostgres> => {
  const envUrl = process.env.DATABASE_URL;
  if (!options.ignoreEnv && envUrl !== undefined && envUrl !== '') return fromExisting(envUrl);

  const bin = findBinDir();
  const dir = mkdtempSync(join(clusterParent(options), 'qm-pg-'));
  const dataDir = join(dir, 'data');
  const asUser = isRoot() ? NOBODY : undefined;
  if (asUser) chownSync(dir, asUser.uid, asUser.gid);
  const spawnOpts = asUser ? { uid: asUser.uid, gid: asUser.gid } : {};

  execFileSync(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
    { ...spawnOpts, stdio: 'pipe', cwd: dir },
  );

  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: dir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '250',
    shared_buffers: '32MB',
    timezone: 'UTC',
    ...options.settings,
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  let output = '';
  const launch = (): ChildProcess => {
    const c = spawn(join(bin, 'postgres'), args, {
      ...spawnOpts,
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    return c;
  };
  let child = launch();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  const killWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill(signal);
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  };
  const stop = async () => {
    await killWith('SIGINT'); // fast shutdown
    rmSync(dir, { recursive: true, force: true });
  };

  // If the test process dies without stop(), do not leave a server behind.
  const onExit = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const stopAndForget = async () => {
    process.off('exit', onExit);
    await stop();
  };
  const halt = () => killWith('SIGQUIT'); // immediate shutdown
  const resume = async () => {
    if (child.exitCode === null && child.signalCode === null) return;
    child = launch();
    await waitReady(url, child, () => output);
  };

  try {
    await waitReady(url, child, () => output);
  } catch (e) {
    await stopAndForget();
    throw e;
  }
  return { url, stop: stopAndForget, halt, resume };
};
