// What the SPA in dist/ was built from: a hash of every file `vite build` reads (src/, public/, index.html,
// the build configs and plugins, the lock file — not package.json, whose scripts do not change the build) and of the VITE_* variables. vite.config.ts writes it to
// dist/.source-stamp after a build; `npm start` rebuilds only when the current sources hash differently.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const INPUTS = [
  'src',
  'public',
  'index.html',
  'vite.config.ts',
  'scripts/viteBuildPlugins.ts',
  'scripts/routeSizes.mjs',
  'tsconfig.json',
  'package-lock.json',
];
export const STAMP_FILE = '.source-stamp';

function* files(root, path) {
  const full = join(root, path);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const name of readdirSync(full).sort()) yield* files(root, join(path, name));
  } else yield path;
}

export function sourceStamp(root, env = process.env) {
  const h = createHash('sha256');
  for (const input of INPUTS)
    for (const f of files(root, input)) {
      h.update(relative(root, join(root, f)));
      h.update('\0');
      h.update(readFileSync(join(root, f)));
      h.update('\0');
    }
  for (const k of Object.keys(env)
    .filter((k) => k.startsWith('VITE_'))
    .sort())
    h.update(`${k}=${env[k]}\0`);
  return h.digest('hex');
}

/** True when dist/ is missing or was built from other sources than the ones on disk now. */
export function buildIsStale(root, outDir = join(root, 'dist')) {
  const stamp = join(outDir, STAMP_FILE);
  if (!existsSync(join(outDir, 'index.html')) || !existsSync(stamp)) return true;
  return readFileSync(stamp, 'utf8').trim() !== sourceStamp(root);
}
