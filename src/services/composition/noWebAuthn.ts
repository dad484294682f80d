/**
 * What supabase-js's auth client gets for its WebAuthn helpers (`@supabase/auth-js/.../lib/webauthn`) in the
 * browser build (vite.config.ts, `authJsStubs`; tests and Node use the real package). QueueMed signs staff in
 * with a password and patients with a phone code: no passkeys, no WebAuthn MFA factors. The real helpers and
 * their error tables were ≈ 3 KiB gzipped on every signed-in screen's first load (issue 14). With these, the
 * client says what it says on a browser without WebAuthn: `auth.passkey.*` answers "Browser does not support
 * WebAuthn"; `auth.mfa.webauthn.*` answers an error instead of starting a ceremony.
 * test/unit/authJsStubs.test.ts checks that no source file reaches for either and that the stubs keep the shape.
 */
const unsupported = () =>
  new Error('QueueMed is built without WebAuthn (src/services/composition/noWebAuthn.ts)');

export function browserSupportsWebAuthn(): boolean {
  return false;
}

const refuse = (): never => {
  throw unsupported();
};
export const deserializeCredentialCreationOptions = refuse;
export const deserializeCredentialRequestOptions = refuse;
export const serializeCredentialCreationResponse = refuse;
export const serializeCredentialRequestResponse = refuse;

export async function createCredential(): Promise<{ data: null; error: Error }> {
  return { data: null, error: unsupported() };
}
export const getCredential = createCredential;

export const webAuthnAbortService = {
  createNewAbortSignal: (): AbortSignal => new AbortController().signal,
  cancelCeremony: (): void => {},
};

/** `auth.mfa.webauthn`: every call answers `{ data: null, error }` as the real one does on failure. */
export class WebAuthnApi {
  enroll = createCredential;
  challenge = createCredential;
  verify = createCredential;
  authenticate = createCredential;
  register = createCredential;
}
