// Deno tests of the server-side estimates job's gate and work list, against a scripted PostgREST (the
// estimating itself runs end to end in test/integration/serverEstimates.test.ts).
import assert from 'node:assert/strict';
import { CLINIC, SERVICE, makeRuntime, okRpc, post } from '../_test/fakes.ts';
import { createEstimatesHandler } from './handler.ts';

Deno.test('service role only, POST only', async () => {
  const { rt, rec } = makeRuntime();
  const h = createEstimatesHandler(rt);
  assert.equal((await h(post('/queue-estimates', {}, 'user-jwt'))).status, 403);
  assert.equal((await h(post('/queue-estimates', {}, null))).status, 403);
  assert.equal((await h(new Request('http://x/queue-estimates', { method: 'GET' }))).status, 405);
  assert.equal(rec.rpc.length, 0);
});

Deno.test('bad options: 422 with a code, nothing asked of the database', async () => {
  const { rt, rec } = makeRuntime();
  const h = createEstimatesHandler(rt);
  for (const body of [{ clinic_id: 'nope' }, { max_age_seconds: 1 }, { limit: 0 }, { extra: true }]) {
    const res = await h(post('/queue-estimates', body, SERVICE));
    assert.equal(res.status, 422);
    assert.equal(((await res.json()) as { code: string }).code, 'VALIDATION.FAILED');
  }
  assert.equal(rec.rpc.length, 0);
});

Deno.test(
  'asks the database which queues need estimates (one clinic, its max age) and does nothing when none',
  async () => {
    const { rt, rec } = makeRuntime({
      rpc: okRpc({ queues_needing_estimates: { now: '2026-11-30T10:00:00Z', queues: [] } }),
    });
    const res = await createEstimatesHandler(rt)(
      post('/queue-estimates', { clinic_id: CLINIC, max_age_seconds: 120 }, SERVICE),
    );
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { now: '2026-11-30T10:00:00Z', queues: [], failed: 0 });
    assert.deepEqual(
      rec.rpc.map((r) => [r.fn, r.args]),
      [['queues_needing_estimates', { p_clinic_id: CLINIC, p_max_age_seconds: 120 }]],
    );
  },
);

Deno.test("a database webhook's body narrows the work to the changed row's clinic", async () => {
  const { rt, rec } = makeRuntime({
    rpc: okRpc({ queues_needing_estimates: { now: '2026-11-30T10:00:00Z', queues: [] } }),
  });
  const body = {
    type: 'UPDATE',
    table: 'queues',
    schema: 'public',
    record: { id: 'q', clinic_id: CLINIC, version: 4 },
    old_record: null,
  };
  const res = await createEstimatesHandler(rt)(post('/queue-estimates', body, SERVICE));
  assert.equal(res.status, 200);
  assert.deepEqual(
    rec.rpc.map((r) => r.args),
    [{ p_clinic_id: CLINIC, p_max_age_seconds: 60 }],
  );
});
