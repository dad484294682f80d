-- Issue 20, WhatsApp leftovers (session 11):
-- - The 24-hour customer service window is per conversation: a patient who wrote to clinic A's WhatsApp number
--   opened no window with clinic B's number. Until now any inbound message opened the window for every record of
--   that phone in every clinic, so clinic B could send free-form text Meta would refuse (or bill as a template).
--   Now the number written to (`To`) is matched against each clinic's sender: its own whatsapp_sender, else the
--   platform's (TWILIO_WHATSAPP_FROM, passed by the function). Without p_to (an older caller) it stays as before.
-- - START (also UNSTOP, DÉMARRER, ابدأ) on WhatsApp takes back a WhatsApp STOP for the number — the same scope as
--   STOP. The patient can also choose WhatsApp again in My visits (set_my_notification_preferences).
-- public.whatsapp_inbound_apply (newest: 20261209500002) → + p_to, p_platform_sender, p_start; answers + resubscribed.

drop function public.whatsapp_inbound_apply(text, boolean);

create function public.whatsapp_inbound_apply(
  p_from text, p_stop boolean default false, p_to text default null, p_platform_sender text default null,
  p_start boolean default false)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count integer;
  v_stopped integer := 0;
  v_started integer := 0;
  v_lang public.app_language;
  v_clinic text;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  if p_from is null or not private.is_e164(p_from) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'an E.164 sender is required');
  end if;
  if (p_to is not null and not private.is_e164(p_to))
     or (p_platform_sender is not null and not private.is_e164(p_platform_sender)) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the WhatsApp numbers must be E.164');
  end if;
  -- the window opens with the clinics that send from the number the patient wrote to
  update public.patients p set whatsapp_inbound_at = private.now()
   where p.phone = p_from
     and (p_to is null or exists (select 1 from public.clinics c
                                   where c.id = p.clinic_id and coalesce(c.whatsapp_sender, p_platform_sender) = p_to));
  get diagnostics v_count = row_count;
  if coalesce(p_stop, false) then
    update public.patients set whatsapp_opt_out = true where phone = p_from and not whatsapp_opt_out;
    get diagnostics v_stopped = row_count;
  elsif coalesce(p_start, false) then
    update public.patients set whatsapp_opt_out = false where phone = p_from and whatsapp_opt_out;
    get diagnostics v_started = row_count;
  end if;
  select coalesce(p.preferred_language, c.default_language), c.name into v_lang, v_clinic
    from public.patients p join public.clinics c on c.id = p.clinic_id
   where p.phone = p_from order by p.updated_at desc limit 1;
  return jsonb_build_object('window_opened', v_count, 'opted_out', v_stopped, 'resubscribed', v_started,
                            'language', v_lang, 'clinic_name', v_clinic);
end
$$;
revoke all on function public.whatsapp_inbound_apply(text, boolean, text, text, boolean) from public, anon, authenticated;
grant execute on function public.whatsapp_inbound_apply(text, boolean, text, text, boolean) to service_role;
