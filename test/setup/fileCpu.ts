/**
 * `TEST_CPU_LOG=<file>` (issue 14, CI time): one line per test file with the CPU seconds its worker process spent —
 * before the file's first import (fork start + vitest's runtime), for the whole file (own threads), and by the
 * children it reaped (Deno hosts, stack processes) — appended as JSON, so a run's fixed costs per file can be
 * summed and compared by CPU (load-independent) instead of wall time. Not loaded unless the variable is set.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';

const log = process.env['TEST_CPU_LOG'] ?? '';
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const reaped = (): number => {
  try {
    // /proc/self/stat: fields 16 and 17 are cutime and cstime (clock ticks of waited-for children)
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
};
const atSetup = cpu();
let atFirstHook = 0;
let file = '?';

if (log !== '') {
  // eslint-disable-next-line no-empty-pattern -- vitest hands the suite in the 2nd argument
  beforeAll(({}, suite) => {
    atFirstHook = cpu();
    file = (suite as { file?: { filepath?: string } }).file?.filepath ?? suite.name;
  });
  afterAll(() => {
    appendFileSync(
      log,
      JSON.stringify({
        file: file.replace(/^.*?\/(supabase|test|src)\//, '$1/'),
        startup: +atSetup.toFixed(2),
        imports: +(atFirstHook - atSetup).toFixed(2),
        total: +cpu().toFixed(2),
        children: +reaped().toFixed(2),
        uptime: +process.uptime().toFixed(1),
      }) + '\n',
    );
  });
}
