/**
 * What the browser build gets for `@supabase/functions-js` (vite.config.ts aliases it here; tests, Node and the
 * edge functions use the real package). supabase-js imports its FunctionsClient (with tslib) eagerly, though the
 * browser calls an edge function only when the desk messages a patient, after the screen has rendered (issue 14:
 * the dashboard's first render). This stand-in keeps the package's error classes and regions (the real ones,
 * from its small types module, so `instanceof` holds) and loads the real client on the first `invoke`, then
 * forwards the call, with the token of the last `setAuth`, to a real client built with supabase-js's arguments.
 * A failed load rejects the call as a failed fetch would (supabase-js's callers catch it); the next call loads
 * again. test/unit/lazyFunctions.test.ts drives it on the real functions-js.
 */
import type * as FunctionsJs from '@supabase/functions-js';

export {
  FunctionRegion,
  FunctionsError,
  FunctionsFetchError,
  FunctionsHttpError,
  FunctionsRelayError,
} from '@supabase/functions-js/dist/module/types.js';

type RealModule = Pick<typeof FunctionsJs, 'FunctionsClient'>;
type RealClient = InstanceType<RealModule['FunctionsClient']>;
type Options = ConstructorParameters<RealModule['FunctionsClient']>[1];

// the deep path escapes the build's alias of the bare name (which points here)
const loadReal = (): Promise<RealModule> =>
  import('@supabase/functions-js/dist/module/FunctionsClient.js') as unknown as Promise<RealModule>;

export class FunctionsClient {
  private token: string | null = null;

  constructor(
    private readonly url: string,
    private readonly options?: Options,
    private readonly load: () => Promise<RealModule> = loadReal,
  ) {}

  setAuth(token: string): void {
    this.token = token;
  }

  async invoke<T = unknown>(
    functionName: string,
    options?: Parameters<RealClient['invoke']>[1],
  ): Promise<FunctionsJs.FunctionsResponse<T>> {
    const { FunctionsClient: Real } = await this.load();
    const real = new Real(this.url, this.options);
    if (this.token !== null) real.setAuth(this.token);
    return real.invoke<T>(functionName, options);
  }
}
