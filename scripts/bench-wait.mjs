// `npm run bench:wait`: MAE, bias and range coverage of naive, tracker, product and oracle wait estimates
// on simulated clinic days (src/services/queue/estimation/waitBench.ts), with MAE, bias and coverage per
// bucket (queue depth, hour, kind) for the product and the oracles (WAIT_BENCH_BREAKDOWN=0 leaves it out). WAIT_BENCH_FIRST_SEED (1) picks other seeds.
import { register } from 'tsx/esm/api';

register();
const { runWaitBench, printWaitBench } = await import('../src/services/queue/estimation/waitBench.ts');
const num = (name, dflt) => (process.env[name] ? Number(process.env[name]) : dflt);
const result = runWaitBench({
  days: num('WAIT_BENCH_DAYS', 40),
  seeds: num('WAIT_BENCH_SEEDS', 3),
  warmup: num('WAIT_BENCH_WARMUP', 30),
  firstSeed: num('WAIT_BENCH_FIRST_SEED', 1),
});
console.log(printWaitBench(result, process.env.WAIT_BENCH_BREAKDOWN !== '0'));
