// `npm run size`: gzipped JavaScript each route loads (entry + the route's chunk + their static imports),
// from Vite's build manifest. Fails when a route is over its budget (the patient tracker: 120 kB).
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error('dist/.vite/manifest.json missing: run `npx vite build` first');
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const BUDGETS = { 'src/pages/TrackerPage.tsx': 120 };
const ROUTES = Object.keys(manifest).filter((k) => k.startsWith('src/pages/'));
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);

const gz = new Map();
const sizeOf = (file) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
  return gz.get(file);
};
/** JS files loaded to render `keys` (static imports only; lazy chunks are loaded later, on demand). */
const closure = (keys) => {
  const files = new Set();
  const seen = new Set();
  const visit = (k) => {
    if (seen.has(k)) return;
    seen.add(k);
    const c = manifest[k];
    if (!c) return;
    if (c.file.endsWith('.js')) files.add(c.file);
    for (const i of c.imports ?? []) visit(i);
  };
  keys.forEach(visit);
  return files;
};
// the reader's language bundle loads up front too: count the largest one
const locales = Object.keys(manifest).filter((k) => /src\/i18n\/locales\/(ar|fr|en)\.ts$/.test(k));
const localeKb = Math.max(0, ...locales.map((k) => [...closure([k])].reduce((s, f) => s + sizeOf(f), 0)));

let failed = false;
// every route but the tracker renders inside the lazily loaded react-query root (src/App.tsx)
const NO_QUERY = new Set(['src/pages/TrackerPage.tsx']);
const queryRoot = Object.keys(manifest).find((k) => k.endsWith('hooks/ui/QueryRoot.tsx'));
const rows = ROUTES.map((r) => {
  const files = closure([entry, r, ...(NO_QUERY.has(r) || !queryRoot ? [] : [queryRoot])]);
  const bytes = [...files].reduce((s, f) => s + sizeOf(f), 0) + localeKb;
  const kb = bytes / 1024;
  const budget = BUDGETS[r];
  const over = budget !== undefined && kb > budget;
  if (over) failed = true;
  return {
    route: r.replace('src/pages/', '').replace('.tsx', ''),
    kb: kb.toFixed(1),
    budget: budget ?? '',
    status: budget === undefined ? '' : over ? 'OVER' : 'ok',
  };
}).sort((a, b) => Number(a.kb) - Number(b.kb));
console.log('gzipped JS per route (entry + route + static imports + one locale):');
for (const r of rows)
  console.log(
    `  ${r.route.padEnd(16)} ${r.kb.padStart(7)} kB ${r.budget ? `(budget ${r.budget} kB) ${r.status}` : ''}`,
  );
if (failed) {
  console.error('size budget exceeded');
  process.exit(1);
}
