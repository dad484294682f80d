// @vitest-environment jsdom
// useSingleFlight (issue 12): a mutation's `mutate` sends one call at a time — a second call before the first
// settles is ignored (react-query publishes isPending a macrotask late, so a double click got through), a
// settled call (a failure too) lets the next one through, and isPending reads true from the first call.
import { QueryClient, QueryClientProvider, useMutation } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { useSingleFlight } from './useSingleFlight';

function setup(fail: () => boolean) {
  const calls: string[] = [];
  const releases: (() => void)[] = [];
  const qc = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={qc}>{children}</QueryClientProvider>
  );
  const { result } = renderHook(
    () =>
      useSingleFlight(
        useMutation({
          mutationFn: (v: string) => {
            calls.push(v);
            return new Promise<string>((resolve, reject) =>
              releases.push(() => (fail() ? reject(new Error('refused')) : resolve(v))),
            );
          },
        }),
      ),
    { wrapper },
  );
  return { calls, releases, result };
}

describe('useSingleFlight', () => {
  it('ignores a second mutate while the first is in flight, and is pending at once', async () => {
    const { calls, releases, result } = setup(() => false);
    const settled: string[] = [];
    act(() => {
      result.current.mutate('first', { onSuccess: (d) => settled.push(d) });
      result.current.mutate('second', { onSuccess: (d) => settled.push(d) });
    });
    expect(result.current.isPending).toBe(true);
    await waitFor(() => expect(releases).toHaveLength(1));
    expect(calls).toEqual(['first']);
    act(() => releases[0]?.());
    await waitFor(() => expect(result.current.isPending).toBe(false));
    expect(settled).toEqual(['first']);
    // settled: the next call goes through
    act(() => result.current.mutate('third'));
    await waitFor(() => expect(calls).toEqual(['first', 'third']));
  });

  it('a failed call releases the guard (the user can try again) and keeps its own onError', async () => {
    let failing = true;
    const { calls, releases, result } = setup(() => failing);
    const errors: string[] = [];
    act(() => result.current.mutate('first', { onError: (e) => errors.push(e.message) }));
    await waitFor(() => expect(releases).toHaveLength(1));
    act(() => releases[0]?.());
    await waitFor(() => expect(errors).toEqual(['refused']));
    failing = false;
    act(() => result.current.mutate('again'));
    await waitFor(() => expect(calls).toEqual(['first', 'again']));
  });
});
