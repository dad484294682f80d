/**
 * skew22: the desk's store sends the instant its figures were computed for (p_as_of), so the database can refuse
 * figures from a browser clock more than 30 s off its own; a skewed answer is no failure.
 */
import { describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { SupabaseWaitEstimates } from './SupabaseWaitEstimates';

describe('SupabaseWaitEstimates.store', () => {
  it('sends p_as_of, the instant the caller computed for; a skewed (stale) answer is accepted', async () => {
    const calls: { fn: string; args: Record<string, unknown> }[] = [];
    const client = {
      rpc: async (fn: string, args: Record<string, unknown>) => {
        calls.push({ fn, args });
        return { data: { stored: 0, stale: true, skewed: true }, error: null, status: 200 };
      },
    } as unknown as SupabaseClient;
    await new SupabaseWaitEstimates(client).store({
      clinicId: 'c1',
      day: '2026-11-24',
      version: 3,
      estimates: [],
      accuracy: null,
      asOf: '2026-11-24T09:30:00.000Z',
    });
    expect(calls).toEqual([
      {
        fn: 'store_queue_estimates',
        args: expect.objectContaining({ p_version: 3, p_as_of: '2026-11-24T09:30:00.000Z' }),
      },
    ]);
  });
});
