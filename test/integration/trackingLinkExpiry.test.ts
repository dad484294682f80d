// links17: a tracking link a day past its visit's end, through the path the tracker really takes — the browser's
// public-screens adapter (FetchPublicScreensRepository: get_tracker_view, which carries the running-late note since trk22, over REST) on the
// local stack — answers HTTP 410 with the coded body VISIT.LINK_EXPIRED and nothing of the visit; the adapter
// hands the screen that code (the tracker shows "this link has expired"). The database's clock is pinned and moved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchPublicScreensRepository } from '../../src/services/queue/repositories/FetchPublicScreensRepository';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { parityClinic } from './queueStackKit';

const KINDS: Kind[] = ['pglite', 'postgres'];

describe.each(KINDS)('an expired tracking link over REST on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind);
    await app.db.query(`insert into private.pinned_clock (at) values (now())`);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('answers 410 VISIT.LINK_EXPIRED (no visit in the body) and the tracker’s adapter gets that code', async () => {
    const c = await parityClinic(app, `links-${kind}`);
    const entryId = await c.book('Amine Tazi', new Date(Date.now() + 30 * 60_000));
    const token = await c.track(entryId);
    const port = createFetchPublicScreensRepository({
      supabaseUrl: app.stack.url,
      supabaseAnonKey: app.stack.anonKey,
    });
    const open = await port.visit(token);
    expect(open.ok && open.value.entry_id).toBe(entryId);

    // three days later: the visit (never finished) ended with its day, and a day has passed since
    await app.db.query(`update private.pinned_clock set at = at + interval '3 days'`);
    const raw = await fetch(`${app.stack.url}/rest/v1/rpc/get_tracker_view`, {
      method: 'POST',
      headers: {
        apikey: app.stack.anonKey,
        Authorization: `Bearer ${app.stack.anonKey}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ p_tracking_token: token }),
    });
    const text = await raw.text();
    expect(raw.status).toBe(410);
    expect(JSON.parse(text)).toMatchObject({ message: 'VISIT.LINK_EXPIRED' });
    expect(text).not.toMatch(/Amine|Tazi|A-0|entry_id/);
    const expired = await port.visit(token);
    expect(expired.ok).toBe(false);
    if (!expired.ok) expect(expired.error.code).toBe('VISIT.LINK_EXPIRED');
    // an unknown token is still "not found"
    const unknown = await port.visit('no-such-link');
    expect(!unknown.ok && unknown.error.code).toBe('NOT_FOUND');
  });
});
