/** Id generation port. Domain models receive ids as arguments; services get them from an `IdGenerator`. */
export interface IdGenerator {
  next(): string;
}

export const uuidGenerator: IdGenerator = { next: () => globalThis.crypto.randomUUID() };

/** Deterministic ids for tests: `prefix-1`, `prefix-2`, … */
export const sequentialIds = (prefix = 'id'): IdGenerator => {
  let n = 0;
  return { next: () => `${prefix}-${++n}` };
};
