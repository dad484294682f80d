/**
 * A port whose adapter loads on its first call (issue 14: the screens' first load carries only what their first
 * render uses). Every method of the port must answer a `Promise<Result<…, AppError>>` — the repository ports do —
 * so a call made before the adapter has loaded simply waits for it. When the adapter's code cannot be loaded (a
 * dropped connection, or a deploy that removed the old hashed chunk), the call answers a coded error as a failed
 * request would (nothing was sent, so nothing happened), and the next call tries the load again.
 */
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import { err, type Result } from '../shared/Result';

type AsyncPort<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => Promise<Result<unknown, AppError>> ? T[K] : never;
};

export function lazyPort<T extends AsyncPort<T> & object>(load: () => Promise<T>): T {
  return lazyMethods<T>(load, {});
}

/** The methods of T that answer a `Promise<Result<…, AppError>>` (the ones a lazy object can wait for). */
type AsyncKeys<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => Promise<Result<unknown, AppError>> ? K : never;
}[keyof T];

/**
 * A service or port whose code loads on its first call, like `lazyPort`, with some methods at hand before it has
 * loaded (`eager`; issue 14). Its synchronous methods cannot wait for the code, so the type makes the caller hand
 * every one of them over eagerly: BookingService's booking-form check (the desk's first render lists the queue, so
 * the service loads on the first booking call). An async method may be eager too, when the first render needs it
 * and it is cheap: the clinic's clock and the user's memberships (the desk's first reads — size22b), while the
 * admin's team, hours and invitations load with the rest.
 */
export function lazyService<T extends object>(
  load: () => Promise<T>,
  eager: Omit<T, AsyncKeys<T>> & Partial<Pick<T, AsyncKeys<T>>>,
): T {
  return lazyMethods<T>(load, eager as Partial<T>);
}

function lazyMethods<T extends object>(load: () => Promise<T>, eager: Partial<T>): T {
  let adapter: Promise<T> | null = null;
  const loaded = (): Promise<T> => {
    const p = (adapter ??= load());
    p.catch(() => {
      if (adapter === p) adapter = null; // try again on the next call
    });
    return p;
  };
  return new Proxy({} as T, {
    get(_target, key) {
      // not a thenable (an `await` of the port must not wait for a `then` method), nor anything but a method
      if (typeof key === 'symbol' || key === 'then') return undefined;
      if (Object.hasOwn(eager, key)) return (eager as Record<string, unknown>)[key];
      return async (...args: unknown[]) => {
        let real: T;
        try {
          real = await loaded();
        } catch (e) {
          return err(
            appError(
              ErrorCodes.INTERNAL,
              `could not load the adapter for ${key}: ${e instanceof Error ? e.message : String(e)}`,
            ),
          );
        }
        const method = (real as Record<string, unknown>)[key];
        if (typeof method !== 'function') throw new TypeError(`lazyPort: the adapter has no method ${key}`);
        return (method as (...a: unknown[]) => unknown).apply(real, args);
      };
    },
  });
}
