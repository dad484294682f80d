/**
 * A jsdom file gets a window of its own (unit project, `isolate: false`). Vitest sets an environment up once per
 * worker, so without this every jsdom file a worker thread runs shares ONE window: event listeners a file added
 * (the desk's key buffer, installed by a dashboard test) fire in the next file, and the URL, storage, cookies and
 * the document's attributes carry over — deskKeys.test failed after DashboardPage.test in the same thread (s30).
 * Here the file's own window is made the way vitest's jsdom environment makes it (same options) and put in place of
 * the worker's for the file; the worker's comes back after it. Testing Library binds `screen` to document.body
 * when it is evaluated, so it is evaluated per file too (vitest.config.ts, the unit project's `server.deps.inline`).
 */
import { Blob as NodeBlob } from 'node:buffer';
import { afterAll } from 'vitest';
import { builtinEnvironments } from 'vitest/runtime';

const g = globalThis as { jsdom?: unknown };
if (g.jsdom !== undefined) {
  // the worker's globals as they are, to be put back exactly: vitest's teardown deletes `window`, `self`, `top` …
  // without restoring them, and work a file left behind (a query's notify timer, React's scheduler) still runs
  // after it and must find the worker's window, not none
  const before = new Map(
    Reflect.ownKeys(globalThis).map((k) => [k, Object.getOwnPropertyDescriptor(globalThis, k)]),
  );
  // vitest's setup takes Node's Request, FormData and Blob from the globals to build its compatible ones on; here
  // the globals are the worker window's (its Request already wraps Node's): hand it Node's own
  let nodeRequest = globalThis.Request;
  while (Object.getPrototypeOf(nodeRequest) !== Function.prototype)
    nodeRequest = Object.getPrototypeOf(nodeRequest);
  const nodeFormData = (await new Response(new URLSearchParams('a=1')).formData()).constructor;
  Object.assign(globalThis, { Request: nodeRequest, FormData: nodeFormData, Blob: NodeBlob });
  const own = await builtinEnvironments.jsdom.setup(globalThis, {});
  afterAll(async () => {
    await own.teardown(globalThis);
    for (const k of Reflect.ownKeys(globalThis)) if (!before.has(k)) Reflect.deleteProperty(globalThis, k);
    for (const [k, d] of before) {
      const now = Object.getOwnPropertyDescriptor(globalThis, k);
      const same =
        d && now && ('value' in d ? now.value === d.value : now.get === d.get && now.set === d.set);
      if (d && !same && (now?.configurable ?? true)) Object.defineProperty(globalThis, k, d);
    }
  });
}
