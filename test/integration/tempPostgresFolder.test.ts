/**
 * s31 (issue 14, CI time): where startTempPostgres puts a throw-away cluster — /dev/shm (memory) when its fsync is
 * off and /dev/shm has the room, the system's temporary folder when /dev/shm is too small (a container's 64 MB) or
 * the server is asked to fsync (a durability benchmark measures the disk).
 */
import { tmpdir } from 'node:os';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startTempPostgres, type TempPostgres } from '../../supabase/local/db/tempPostgres';

const dataDirOf = async (server: TempPostgres): Promise<string> => {
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  try {
    return (await c.query<{ data_directory: string }>('show data_directory')).rows[0]!.data_directory;
  } finally {
    await c.end();
  }
};

describe('a throw-away PostgreSQL cluster’s folder', () => {
  let server: TempPostgres | undefined;
  const saved = process.env.QUEUEMED_PG_SHM_MIN_FREE;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    if (saved === undefined) delete process.env.QUEUEMED_PG_SHM_MIN_FREE;
    else process.env.QUEUEMED_PG_SHM_MIN_FREE = saved;
  });

  it('is in /dev/shm when it has room, in the temporary folder when it has not or when the server must fsync', async () => {
    process.env.QUEUEMED_PG_SHM_MIN_FREE = '0';
    server = await startTempPostgres({ ignoreEnv: true });
    expect(await dataDirOf(server)).toMatch(/^\/dev\/shm\/qm-pg-/);
    await server.stop();

    process.env.QUEUEMED_PG_SHM_MIN_FREE = String(Number.MAX_SAFE_INTEGER); // no /dev/shm that large
    server = await startTempPostgres({ ignoreEnv: true });
    expect((await dataDirOf(server)).startsWith(`${tmpdir()}/qm-pg-`)).toBe(true);
    await server.stop();

    process.env.QUEUEMED_PG_SHM_MIN_FREE = '0';
    server = await startTempPostgres({ ignoreEnv: true, settings: { fsync: 'on' } });
    expect((await dataDirOf(server)).startsWith(`${tmpdir()}/qm-pg-`)).toBe(true);
  });
});
