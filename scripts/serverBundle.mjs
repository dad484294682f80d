// The local stack for `npm start`, prebuilt (issue 14: ready in < 5 s on an installed checkout). Loading the
// stack's ~100 TypeScript files through tsx costs seconds on every start (tsx's loader thread resolves and
// transforms each import, in the main thread and again in PGlite's worker thread). Here esbuild bundles the
// same sources once into node_modules/.cache/queuemed-server/ (packages stay external: they load from
// node_modules as before) and the bundle is reused as long as every source file it was built from hashes
// the same (the list and hashes are kept next to it, in inputs.json). A change to any of them rebuilds it
// (~0.3 s). tsx is still the way tests, benches and `npm run dev` load the stack.
//
// `import.meta.url` is replaced in each file by that file's own address, so paths computed from it
// (supabase/migrations, seed.sql, the realtime triggers, the functions' host script) stay what they are
// when the file runs from source.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ENTRIES = {
  fakeClock: 'supabase/local/fakeClock.ts',
  startEarly: 'supabase/local/startEarly.ts',
  main: 'supabase/local/main.ts',
  pgliteThread: 'supabase/local/db/pgliteThread.ts',
};
/** Read by esbuild besides the sources (compiler options). */
const CONFIG = ['tsconfig.json', 'scripts/serverBundle.mjs'];
const INPUTS_FILE = 'inputs.json';

const hashOf = (file) =>
  existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : '-';

/** True when `dir` holds a bundle of `entries` built from the files on disk now. */
export function bundleIsFresh(root, dir, entries = ENTRIES) {
  const manifest = join(dir, INPUTS_FILE);
  if (!existsSync(manifest)) return false;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch {
    return false;
  }
  if (inputs.root !== root || !inputs.files) return false;
  for (const name of Object.keys(entries)) if (!existsSync(join(dir, `${name}.mjs`))) return false;
  return Object.entries(inputs.files).every(([file, sum]) => hashOf(join(root, file)) === sum);
}

/**
 * The bundle's folder as a file: URL ending in '/', built first when missing or stale. Returns null when it
 * cannot be built (esbuild missing, a syntax error…): the caller then loads the sources through tsx, which
 * reports the error as it always has. `entries` (name → source file) defaults to the stack's; the `estimate`
 * CLI bundles its own (scripts/estimate.mjs).
 */
export async function serverBundle(
  root,
  dir = join(root, 'node_modules', '.cache', 'queuemed-server'),
  entries = ENTRIES,
) {
  root = resolve(root);
  if (bundleIsFresh(root, dir, entries)) return { url: pathToFileURL(`${dir}/`), built: false };
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  const metaUrl = {
    name: 'import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        return {
          contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
          loader: args.path.endsWith('x') ? 'tsx' : 'ts',
        };
      });
    },
  };
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, join(root, v)])),
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
      plugins: [metaUrl],
    });
    const files = {};
    for (const f of [...Object.keys(result.metafile.inputs), ...CONFIG]) files[f] = hashOf(join(root, f));
    writeFileSync(join(dir, INPUTS_FILE), JSON.stringify({ root, files }, null, 1));
    return { url: pathToFileURL(`${dir}/`), built: true };
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}
