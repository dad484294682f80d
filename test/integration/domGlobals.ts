/**
 * A jsdom document for React tests in the stack project. The project runs in the node environment (the
 * local stack's modules resolve files from `import.meta.url`, which vitest's jsdom environment breaks),
 * so the DOM globals Testing Library needs are installed here. Import this module first.
 */
import { JSDOM } from 'jsdom';

// ONE document per worker process: the stack project runs its files in one shared worker (isolate: false,
// vitest.config.ts), where Testing Library — a node_module, loaded once per worker — binds `screen` to the
// document.body it first saw. This module is evaluated again for each file (test/setup/stackFileGuard.ts removes
// the globals below when a file ends), so it installs the same window again; closeDom() empties it for the next file.
const shared = process as { queuemedJsdom?: JSDOM };
const dom = (shared.queuemedJsdom ??= new JSDOM('<!doctype html><html><body></body></html>', {
  url: 'http://localhost/',
  pretendToBeVisual: true,
}));
const g = globalThis as Record<string, unknown>;
const w = dom.window as unknown as Record<string, unknown>;
for (const key of [
  'window',
  'document',
  'navigator',
  'HTMLElement',
  'Element',
  'Node',
  'Text',
  'DocumentFragment',
  'MutationObserver',
  'getComputedStyle',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'Event',
  'KeyboardEvent',
  'MouseEvent',
  'CustomEvent',
  'HTMLInputElement',
  'HTMLButtonElement',
  'SVGElement',
]) {
  if (key === 'navigator' && g.navigator) continue;
  const value = key === 'window' ? dom.window : w[key];
  Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
}
// Updates arrive from the network (realtime), not from test actions: no act() environment.
g.IS_REACT_ACT_ENVIRONMENT = false;

/** Ends the file's use of the document: what it rendered and its head are removed (the window stays for the next). */
export const closeDom = (): void => {
  const d = dom.window.document;
  d.head.replaceChildren();
  d.body.replaceChildren();
};
