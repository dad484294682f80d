// `npm run -s estimate`: JSON lines in (one clinic day each), JSON lines out (the wait estimates).
// See docs/wait-estimates.md. Nothing but answers goes to stdout.
import { register } from 'tsx/esm/api';

register();
const { runEstimateCli } = await import('../src/services/queue/estimation/estimateCli.ts');
await runEstimateCli(process.stdin, process.stdout);
