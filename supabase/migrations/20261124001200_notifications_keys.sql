-- Idempotency keys of the messages that are once per visit (cancelled, no_show): <kind>:<entry id>, the
-- same key the browser's NotificationService uses for them (src/services/notification/channels/
-- idempotency.ts), so a cancellation or a no-show is announced once whichever side sends it. The others
-- stay <kind>:<entry id>:<correlation id>.
create or replace function private.event_notification_key(
  p_kind public.notification_kind, p_entry_id uuid, p_correlation_id uuid, p_payload jsonb, p_event_id bigint)
returns text
language sql immutable
set search_path = ''
as $$
  select case when p_kind in ('cancelled', 'no_show', 'booking_confirmed')
    then p_kind::text || ':' || p_entry_id::text
    else p_kind::text || ':' || p_entry_id::text || ':'
      || coalesce(p_correlation_id::text, nullif(p_payload ->> 'correlationId', ''), 'event-' || p_event_id::text)
  end
$$;
