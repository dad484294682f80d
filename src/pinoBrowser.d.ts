// pino's browser build (pino/browser.js, what bundlers pick through its package.json "browser" field), imported
// by its path so Vite and the unit tests run the same build; it has the main entry's types.
declare module 'pino/browser' {
  import pino from 'pino';
  export default pino;
}
