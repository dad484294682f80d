-- Security (session 17): any signed-in user — a patient account is one sign-up away — read every column of every
-- clinic: settings (the clinic's whole rule set), whatsapp_templates / whatsapp_sender / sms_sender (its messaging
-- set-up), sms_sender_approved, retention_days, reminder_minutes_before, default_channel and created_by (the
-- owner's user id). 20261214700002 narrowed anon only.
--
-- authenticated now gets the same public column grant as anon (what get_public_clinic answers anyway): id, slug,
-- name, time_zone, default_language, ticket_prefix, phone, address. A column added later is readable by neither
-- unless granted on purpose. The RLS policy clinics_select (using true) stays: it decides rows, the grant decides
-- columns, and every row's public columns are public by design.
--
-- Staff read their own clinic's private columns through public.get_clinic_staff_settings(p_clinic_id), security
-- definer: staff (any role) of that clinic only, else 403 AUTH.FORBIDDEN — the same answer for another clinic's
-- staff, a patient and a clinic that does not exist. No column is owner-only to read today (every member's admin
-- page shows the settings read-only), so every role gets the same answer; created_by and sms_sender_approved are
-- not answered (no screen needs them).
--
-- Writes are unchanged: the UPDATE column grant (name, slug, time_zone, default_language, settings,
-- ticket_prefix, phone, address, sms_sender) and clinics_update (owners/admins) stay. An UPDATE only needs SELECT
-- on the columns it reads (its WHERE `id`, its RETURNING `id`), which authenticated keeps.
revoke select on public.clinics from authenticated;
grant select (id, slug, name, time_zone, default_language, ticket_prefix, phone, address)
  on public.clinics to authenticated;

create function public.get_clinic_staff_settings(p_clinic_id uuid)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v public.clinics;
begin
  perform private.require_staff(p_clinic_id);
  select * into v from public.clinics c where c.id = p_clinic_id;
  if not found then
    -- only the service role gets here (require_staff lets it through): staff always have their clinic
    perform private.raise_error(404, 'NOT_FOUND', 'no such clinic');
  end if;
  return jsonb_build_object(
    'id', v.id,
    'slug', v.slug,
    'name', v.name,
    'time_zone', v.time_zone,
    'default_language', v.default_language,
    'ticket_prefix', v.ticket_prefix,
    'phone', v.phone,
    'address', v.address,
    'settings', v.settings,
    'reminder_minutes_before', v.reminder_minutes_before,
    'default_channel', v.default_channel,
    'whatsapp_sender', v.whatsapp_sender,
    'whatsapp_templates', v.whatsapp_templates,
    'sms_sender', v.sms_sender,
    'retention_days', v.retention_days);
end
$$;
comment on function public.get_clinic_staff_settings(uuid) is
  'A clinic''s profile and private settings, for its staff only (403 AUTH.FORBIDDEN otherwise).';

revoke execute on function public.get_clinic_staff_settings(uuid) from public, anon;
grant execute on function public.get_clinic_staff_settings(uuid) to authenticated, service_role;
