/**
 * Result-type normalisation shared by both drivers, so that a row read through PGlite and through
 * node-postgres is the same JavaScript value (the contract test checks it):
 * int8 → number (BigInt would break JSON.stringify; our int8 values are counts), date → 'YYYY-MM-DD'
 * (as PostgREST returns it; no time-zone shift), interval → PostgreSQL's text form, numeric → string
 * (exact), timestamptz/timestamp → Date, json/jsonb → parsed value.
 */
export const OID = {
  int8: 20,
  numeric: 1700,
  date: 1082,
  interval: 1186,
  timestamp: 1114,
  timestamptz: 1184,
} as const;

export const parseInt8 = (v: string): number => Number(v);
export const keepText = (v: string): string => v;
