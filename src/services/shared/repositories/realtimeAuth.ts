/**
 * A Realtime channel that joins as the caller, not as anon.
 *
 * realtime-js (2.109) writes the join message — and its `access_token` — at the moment `subscribe()` is
 * called. Until supabase-js has handed the caller's token to Realtime (asynchronously: the `accessToken`
 * option's promise, or the auth session restored at page load, which supabase-js announces as
 * INITIAL_SESSION and does not pass on), that message has no token, and the server checks the channel as
 * anon. After the join it only re-sends the token when the token CHANGES, so such a channel stays anon until
 * the next refresh: on a table RLS keeps to staff it hears nothing. Measured on the local stack
 * (test/integration/realtimeAuth.test.ts): a client with `accessToken` subscribed in the same tick, and the
 * app's client after a reload, both joined as anon.
 *
 * So: ask Realtime for the current token first (`setAuth()` calls the client's own token source: the session,
 * or the `accessToken` option), then subscribe. Later refreshes reach the joined channel as before.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';

type SubscribeCallback = Parameters<RealtimeChannel['subscribe']>[0];

/** Subscribes `channel` once Realtime holds the caller's token; the returned function removes it. */
export function subscribeAsCaller(
  client: SupabaseClient,
  channel: RealtimeChannel,
  callback?: SubscribeCallback,
): () => void {
  let removed = false;
  void client.realtime
    .setAuth()
    .catch(() => undefined) // no token to be had: the key's role, as supabase-js would join anyway
    .then(() => {
      if (!removed) channel.subscribe(callback);
    });
  return () => {
    removed = true;
    void client.removeChannel(channel);
  };
}
