/**
 * The one zod of src/: zod/mini (issue 14 — classic zod's chainable methods are ≈ 25 KiB gzipped on every
 * signed-in screen, the same checks in zod/mini ≈ 12). Import `z` from here, never from 'zod' or 'zod/mini'
 * directly (test/unit/zodMini.test.ts). zod/mini loads no locale, so issue messages would read "Invalid
 * input"; classic zod's English messages are kept (the REST API's 422 bodies and the logs show them).
 * Classic-style lines (`.min(1).optional()`) convert with `node scripts/zod-to-mini.mjs <file>`.
 */
import { z } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export { z };
