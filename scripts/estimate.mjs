// `npm run -s estimate`: JSON lines in (one clinic day each), JSON lines out (the wait estimates).
// See docs/wait-estimates.md. Nothing but answers goes to stdout.
//
// The estimator runs from a prebuilt esbuild bundle (scripts/serverBundle.mjs: rebuilt only when a source it
// was built from changes; packages stay external): loading its TypeScript through tsx cost ≈ 0.35 CPU-s of
// every run (issue 16). QUEUEMED_ESTIMATE_BUNDLE=0, or a bundle that cannot be built or loaded, runs the
// sources through tsx as before. QUEUEMED_ESTIMATE_BUNDLE_DIR moves the bundle (tests; it must sit inside the
// checkout, whose node_modules the bundle's packages load from).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverBundle } from './serverBundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = 'src/services/queue/estimation/estimateCli.ts';

const fromBundle = async () => {
  if (process.env.QUEUEMED_ESTIMATE_BUNDLE === '0') return null;
  const dir =
    process.env.QUEUEMED_ESTIMATE_BUNDLE_DIR || join(root, 'node_modules', '.cache', 'queuemed-estimate');
  const bundle = await serverBundle(root, dir, { estimateCli: SOURCE });
  if (bundle === null) return null;
  try {
    return await import(new URL('estimateCli.mjs', bundle.url).href);
  } catch {
    return null; // e.g. another process rebuilding it at this moment
  }
};

const fromSources = async () => {
  const { register } = await import('tsx/esm/api');
  register();
  return import(`../${SOURCE}`);
};

const { runEstimateCli } = (await fromBundle()) ?? (await fromSources());
await runEstimateCli(process.stdin, process.stdout);
