// Deno host for one edge function, kept warm by the local stack. It captures the handler the function
// passes to `Deno.serve`, then serves it on a loopback port chosen by the OS and prints {"port": N} on
// stdout so the stack can proxy to it. Runs under Deno (plain JS, so Node's tsc never sees Deno types).
/* global Deno */
const target = Deno.args[0];
if (!target) throw new Error('usage: host.js <function entry file URL>');

// the stack holds our stdin open: when it closes (the stack stopped, or was killed -9), this host ends too
(async () => {
  try {
    for await (const _ of Deno.stdin.readable) {
      // nothing is sent; only the end matters
    }
  } finally {
    Deno.exit(0);
  }
})();

// review21: under QUEUEMED_FAKE_NOW the stack runs at another time (supabase/local/fakeClock.ts) and hands its
// exact offset here, so a function's clock is the gateway's: the api function signs an API key's 5-minute
// identity token with the time the gateway checks it against (before: the real clock → 401 "JWT expired"),
// and /v1's asOf and every date a function computes agree with the database's private.now().
const offset = Number(Deno.env.get('QUEUEMED_CLOCK_OFFSET_MS') ?? '0');
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = globalThis.Date;
  const realNow = RealDate.now.bind(RealDate);
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(realNow() + offset);
      else super(...args);
    }
    static now() {
      return realNow() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}

let handler = null;
const realServe = Deno.serve.bind(Deno);
Deno.serve = (...args) => {
  const fn = args.find((a) => typeof a === 'function');
  const opts = args.find((a) => typeof a === 'object' && a !== null);
  handler = fn ?? opts?.handler ?? null;
  return {
    finished: new Promise(() => {}),
    shutdown: async () => {},
    ref() {},
    unref() {},
    addr: { hostname: '127.0.0.1', port: 0, transport: 'tcp' },
  };
};

await import(target);
if (!handler) {
  console.error('the function did not call Deno.serve(handler)');
  Deno.exit(2);
}
const h = handler;
realServe(
  { hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(JSON.stringify({ port })) },
  async (req, info) => {
    try {
      return await h(req, info);
    } catch (e) {
      console.error(e instanceof Error ? e.message : String(e));
      return new Response(JSON.stringify({ error: 'function failed' }), {
        status: 500,
        headers: { 'content-type': 'application/json' },
      });
    }
  },
);
