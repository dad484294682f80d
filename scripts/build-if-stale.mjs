// `vite build`, unless dist/ was already built from these very sources (scripts/sourceStamp.mjs): `npm test`
// builds once for `size` and the e2e suite reuses that build instead of making the same one again.
import { execSync } from 'node:child_process';
import { buildIsStale } from './sourceStamp.mjs';

const root = new URL('..', import.meta.url).pathname;
if (buildIsStale(root)) execSync('npx vite build', { cwd: root, stdio: 'inherit' });
else console.log('dist/ is up to date with the sources: no build');
