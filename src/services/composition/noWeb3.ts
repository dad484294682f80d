/**
 * What supabase-js's auth client gets for its Ethereum sign-in helpers (`@supabase/auth-js/.../lib/web3/ethereum`)
 * in the browser build (vite.config.ts, `authJsStubs`; tests, Node and the edge functions use the real package).
 * QueueMed signs staff in with a password and patients with a phone code: no wallets. The helpers (SIWE message,
 * address checksum) were ≈ 0.5 KiB gzipped on every signed-in screen's first load (issue 14). With these,
 * `auth.signInWithWeb3({ chain: 'ethereum' })` fails with an error instead of asking a wallet to sign.
 * test/unit/authJsStubs.test.ts checks that no source file signs in with Web3 and that every name is here.
 */
const refuse = (): never => {
  throw new Error('QueueMed is built without Web3 sign-in (src/services/composition/noWeb3.ts)');
};
export const createSiweMessage = refuse;
export const fromHex = refuse;
export const getAddress = refuse;
export const toHex = refuse;
