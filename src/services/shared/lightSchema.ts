/**
 * A validator for the public screens' few wire shapes (issue 14): the tracker and the board are the pages a
 * patient opens on a cheap phone, and even zod/mini's tree-shaken core weighed 6.8 KiB gzipped of the
 * tracker's ~96 — more than the tracker page itself. This is the subset those shapes use, with zod's
 * semantics for it: objects keep only their declared keys (unknown ones are dropped), optional keys may be
 * absent, `number` refuses NaN/±Infinity, `int` wants a safe integer. `safeParse` answers like zod's
 * (`{ success, data }` / `{ success: false, error: { issues } }`, the first issue with its path).
 * The staff screens and the API keep zod (src/services/queue/api/schemas.ts); publicScreens.shapes.test.ts
 * pins what the screens refuse.
 */

export interface Issue {
  readonly path: string;
  readonly message: string;
}
export type SafeParse<T> = { success: true; data: T } | { success: false; error: { issues: Issue[] } };

export interface Schema<T> {
  /** returns the value (objects: a copy with their declared keys only) or throws Invalid */
  readonly check: (v: unknown, at: string) => T;
  readonly optional?: true;
  safeParse(v: unknown): SafeParse<T>;
}
export type Infer<S> = S extends Schema<infer T> ? T : never;

class Invalid {
  constructor(
    readonly path: string,
    readonly message: string,
  ) {}
}
const fail = (path: string, message: string): never => {
  throw new Invalid(path, message);
};

function schema<T>(check: (v: unknown, at: string) => T, optional?: true): Schema<T> {
  return {
    check,
    ...(optional ? { optional } : {}),
    safeParse(v) {
      try {
        return { success: true, data: check(v, '') };
      } catch (e) {
        if (e instanceof Invalid)
          return { success: false, error: { issues: [{ path: e.path, message: e.message }] } };
        throw e;
      }
    },
  };
}

const primitive = <T>(what: string, ok: (v: unknown) => boolean) =>
  schema<T>((v, at) => (ok(v) ? (v as T) : fail(at, `expected ${what}`)));

export const string = () => primitive<string>('string', (v) => typeof v === 'string');
export const number = () => primitive<number>('number', (v) => typeof v === 'number' && Number.isFinite(v));
export const int = () => primitive<number>('integer', Number.isSafeInteger);
export const boolean = () => primitive<boolean>('boolean', (v) => typeof v === 'boolean');
export const literal = <const L extends string>(value: L) =>
  primitive<L>(JSON.stringify(value), (v) => v === value);
function oneOf<const L extends readonly string[]>(values: L): Schema<L[number]> {
  return primitive<L[number]>(`one of ${values.join('|')}`, (v) => values.includes(v as string));
}
export { oneOf as enum };

/** the value must also satisfy `ok` (zod's refine) */
export const refine = <T>(s: Schema<T>, ok: (v: T) => boolean, message: string) =>
  schema<T>((v, at) => {
    const out = s.check(v, at);
    return ok(out) ? out : fail(at, message);
  });
export const nullable = <T>(s: Schema<T>) =>
  schema<T | null>((v, at) => (v === null ? null : s.check(v, at)));
export const optional = <T>(s: Schema<T>) =>
  schema<T | undefined>((v, at) => (v === undefined ? undefined : s.check(v, at)), true) as Schema<
    T | undefined
  > & {
    readonly optional: true;
  };
export const array = <T>(s: Schema<T>) =>
  schema<T[]>((v, at) =>
    Array.isArray(v) ? v.map((x, i) => s.check(x, `${at}[${i}]`)) : fail(at, 'expected array'),
  );
/** the first option that accepts the value */
export const union = <S extends readonly Schema<unknown>[]>(options: S) =>
  schema<Infer<S[number]>>((v, at) => {
    for (const o of options) {
      try {
        return o.check(v, at) as Infer<S[number]>;
      } catch (e) {
        if (!(e instanceof Invalid)) throw e;
      }
    }
    return fail(at, 'no option matched');
  });

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K]['optional'] extends true ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] };
export type ObjectOf<S extends Shape> = Flat<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

export const object = <S extends Shape>(shape: S) =>
  schema<ObjectOf<S>>((v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(at, 'expected object');
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(shape)) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined && s.optional && !(k in v)) continue;
      out[k] = s.check(x, `${at}.${k}`);
    }
    return out as ObjectOf<S>;
  });
