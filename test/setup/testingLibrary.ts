// Testing Library's waitFor/findBy give up after 1 s by default. On a busy 2-core CI machine a screen's save
// (lazy modules, the phone parser, several renders) can take longer, and a test must not depend on the
// machine being fast: wait up to 15 s for what the test asserts (it still fails if it never happens).
//
// Only where there is a DOM (the `// @vitest-environment jsdom` files): Testing Library cannot render without
// one, and importing it (react-dom, @testing-library/dom, pretty-format …) into each of the ~85 node-only files
// cost every one of them its import time for nothing (issue 14, CI time). The file's own import of Testing
// Library gets the same module instance as this one (one module registry per test file), so the setting holds.
if (typeof document !== 'undefined') {
  const { configure } = await import('@testing-library/react');
  configure({ asyncUtilTimeout: 15_000 });
}

export {}; // a module: top-level await
