/**
 * Pure routing for REST /v1: strips the function's mount prefix (`/functions/v1/api`, `/api`), matches a
 * method and path against the route table, and extracts the path parameters (decoded). No I/O.
 */
import type { Method, Route } from './routes.ts';

export type Match =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'methodNotAllowed'; readonly allow: readonly Method[] };

/** `/functions/v1/api/v1/x` and `/api/v1/x` → `/v1/x` (the function sees either, depending on the host). */
export const apiPath = (pathname: string): string => {
  const m = /^(?:\/functions\/v1)?\/api(\/.*)?$/.exec(pathname);
  const p = m ? (m[1] ?? '/') : pathname;
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
};

interface Compiled {
  readonly route: Route;
  readonly regex: RegExp;
  readonly names: readonly string[];
}

const compile = (route: Route): Compiled => {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((seg) => {
      const p = /^\{([A-Za-z]+)\}$/.exec(seg);
      if (!p) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(p[1] as string);
      return '([^/]+)';
    })
    .join('/');
  return { route, regex: new RegExp(`^${source}$`), names };
};

export const createRouter = (routes: readonly Route[]) => {
  const compiled = routes.map(compile);
  return (method: string, path: string): Match => {
    const allow: Method[] = [];
    for (const c of compiled) {
      const m = c.regex.exec(path);
      if (!m) continue;
      if (c.route.method !== method.toUpperCase()) {
        allow.push(c.route.method);
        continue;
      }
      const params: Record<string, string> = {};
      let bad = false;
      c.names.forEach((n, i) => {
        try {
          params[n] = decodeURIComponent(m[i + 1] ?? '');
        } catch {
          bad = true;
        }
      });
      if (bad) return { kind: 'notFound' };
      return { kind: 'found', route: c.route, params };
    }
    return allow.length > 0 ? { kind: 'methodNotAllowed', allow } : { kind: 'notFound' };
  };
};

/**
 * Opaque cursors: base64url of a JSON `{o: offset}`, plus `v` (the queue version) for a page of a queue, so
 * that a cursor read on one version of the queue is refused on another (the order may have changed in
 * between: an offset would then skip or repeat patients). Anything else is rejected (null).
 */
export const encodeCursor = (offset: number, version?: number): string =>
  btoa(JSON.stringify(version === undefined ? { o: offset } : { o: offset, v: version }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const readCursor = (cursor: string): { o?: unknown; v?: unknown } | null => {
  try {
    const v = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))) as unknown;
    return typeof v === 'object' && v !== null ? (v as { o?: unknown; v?: unknown }) : null;
  } catch {
    return null;
  }
};

export const decodeCursor = (cursor: string | undefined): number | null => {
  if (cursor === undefined) return 0;
  const v = readCursor(cursor);
  return v && typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0 ? v.o : null;
};

/** The queue version a cursor was issued on (null: none, or not a cursor). */
export const cursorVersion = (cursor: string | undefined): number | null => {
  if (cursor === undefined) return null;
  const v = readCursor(cursor)?.v;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
};

/** One page of `items` from a cursor: the slice and the next cursor (null at the end). */
export const paginate = <T>(
  items: readonly T[],
  offset: number,
  limit: number,
  version?: number,
): { data: T[]; nextCursor: string | null } => {
  const data = items.slice(offset, offset + limit);
  const next = offset + limit;
  return { data, nextCursor: next < items.length ? encodeCursor(next, version) : null };
};
