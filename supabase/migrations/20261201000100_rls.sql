-- QueueMed baseline (2/8): Row Level Security on every table, one policy per (table, command) so each
-- policy's effect is testable (supabase/tests/rls.bites.test.ts drops each one and shows a matrix case
-- change). Writes that touch
-- shared state (queue, booking, budget, invitations) have no policy at all: they go through RPCs.

-- ── Helpers used by policies (security definer: they read clinic_members/patients under RLS) ───────
create function private.is_service() returns boolean
language sql stable
set search_path = ''
as $$ select coalesce(auth.role() = 'service_role', false) $$;

create function private.is_clinic_member(p_clinic_id uuid, p_roles public.member_role[] default null)
returns boolean
language sql stable security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.clinic_members m
    where m.clinic_id = p_clinic_id and m.user_id = auth.uid() and m.active
      and (p_roles is null or m.role = any (p_roles)))
$$;

create function private.is_clinic_staff(p_clinic_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$ select private.is_clinic_member(p_clinic_id, null) $$;

create function private.is_clinic_admin(p_clinic_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$ select private.is_clinic_member(p_clinic_id, array['owner', 'admin']::public.member_role[]) $$;

create function private.is_clinic_owner(p_clinic_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$ select private.is_clinic_member(p_clinic_id, array['owner']::public.member_role[]) $$;

create function private.is_own_patient(p_patient_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select auth.uid() is not null
     and exists (select 1 from public.patients p where p.id = p_patient_id and p.user_id = auth.uid())
$$;

-- ── Enable RLS everywhere ──────────────────────────────────────────────────────────────────────────
alter table public.clinics enable row level security;
alter table public.clinic_members enable row level security;
alter table public.profiles enable row level security;
alter table public.patients enable row level security;
alter table public.appointment_types enable row level security;
alter table public.working_hours enable row level security;
alter table public.closed_dates enable row level security;
alter table public.queues enable row level security;
alter table public.queue_entries enable row level security;
alter table public.queue_events enable row level security;
alter table public.staff_invitations enable row level security;
alter table public.notification_templates enable row level security;
alter table public.notifications enable row level security;
alter table public.sms_budgets enable row level security;
alter table public.queue_commands enable row level security; -- no policy: only save_queue_step writes/reads it

-- ── Table privileges: Supabase grants ALL to anon/authenticated by default; narrow them ────────────
-- (RLS still applies to what remains; service_role keeps everything and bypasses RLS.)
revoke insert, update, delete, truncate on public.clinics from anon, authenticated;
grant update (name, slug, time_zone, default_language, settings, ticket_prefix, phone, address, sms_sender)
  on public.clinics to authenticated; -- not sms_sender_approved: the platform operator's (approve_sms_sender)
grant delete on public.clinics to authenticated;

revoke all on public.clinic_members from anon;
revoke insert, update, truncate on public.clinic_members from authenticated;
grant update (role, display_name, room, active) on public.clinic_members to authenticated;

revoke all on public.profiles from anon;
revoke update, delete, truncate on public.profiles from authenticated;
grant update (full_name, phone, preferred_language) on public.profiles to authenticated;

revoke all on public.patients from anon;
revoke update, truncate on public.patients from authenticated;
grant update (full_name, phone, preferred_language, sms_opt_out, notes) on public.patients to authenticated;

revoke truncate on public.appointment_types, public.working_hours, public.closed_dates from anon, authenticated;
revoke insert, update, delete on public.appointment_types, public.working_hours, public.closed_dates from anon;

-- queues: readable by everyone (board and tracking pages subscribe to `version`), never the summary
revoke all on public.queues from anon, authenticated;
grant select (id, clinic_id, day, version, status, next_ticket, closed_at, created_at, updated_at)
  on public.queues to anon, authenticated;

revoke all on public.queue_entries from anon;
revoke insert, update, delete, truncate on public.queue_entries from authenticated;
revoke all on public.queue_events from anon;
revoke insert, update, delete, truncate on public.queue_events from authenticated;
revoke all on public.queue_commands from anon, authenticated;
grant all on public.queue_commands to service_role;

revoke all on public.staff_invitations from anon;
revoke insert, update, truncate on public.staff_invitations from authenticated;

revoke insert, update, delete, truncate on public.notification_templates from anon;
revoke truncate on public.notification_templates from authenticated;

revoke all on public.notifications from anon;
revoke insert, update, delete, truncate on public.notifications from authenticated;

revoke all on public.sms_budgets from anon;
revoke insert, update, delete, truncate on public.sms_budgets from authenticated;
grant insert (clinic_id, month, limit_count, limit_amount) on public.sms_budgets to authenticated;
grant update (limit_count, limit_amount) on public.sms_budgets to authenticated;

-- ── Policies ───────────────────────────────────────────────────────────────────────────────────────
-- clinics: public directory; owners/admins edit; only owners delete. Creation: create_clinic().
create policy clinics_select on public.clinics for select to anon, authenticated using (true);
create policy clinics_update on public.clinics for update to authenticated
  using (private.is_clinic_admin(id)) with check (private.is_clinic_admin(id));
create policy clinics_delete on public.clinics for delete to authenticated
  using (private.is_clinic_owner(id));

-- clinic_members: staff see their colleagues, anyone sees their own memberships. Joining is by
-- invitation (accept_staff_invitation). Only an owner touches an owner row or makes someone owner.
create policy clinic_members_select on public.clinic_members for select to authenticated
  using (user_id = auth.uid() or private.is_clinic_staff(clinic_id));
create policy clinic_members_update on public.clinic_members for update to authenticated
  using (private.is_clinic_admin(clinic_id) and (role <> 'owner' or private.is_clinic_owner(clinic_id)))
  with check (private.is_clinic_admin(clinic_id) and (role <> 'owner' or private.is_clinic_owner(clinic_id)));
create policy clinic_members_delete on public.clinic_members for delete to authenticated
  using (private.is_clinic_admin(clinic_id) and (role <> 'owner' or private.is_clinic_owner(clinic_id)));

-- profiles: one's own.
create policy profiles_select on public.profiles for select to authenticated using (id = auth.uid());
create policy profiles_insert on public.profiles for insert to authenticated with check (id = auth.uid());
create policy profiles_update on public.profiles for update to authenticated
  using (id = auth.uid()) with check (id = auth.uid());

-- patients: staff of the clinic; a patient sees and edits their own record. Linking an account to a
-- record happens only through claim_patient_records() (verified phone).
create policy patients_select on public.patients for select to authenticated
  using (user_id = auth.uid() or private.is_clinic_staff(clinic_id));
create policy patients_insert on public.patients for insert to authenticated
  with check (private.is_clinic_staff(clinic_id) and user_id is null);
create policy patients_update on public.patients for update to authenticated
  using (user_id = auth.uid() or private.is_clinic_staff(clinic_id))
  with check (user_id = auth.uid() or private.is_clinic_staff(clinic_id));
create policy patients_delete on public.patients for delete to authenticated
  using (private.is_clinic_admin(clinic_id));

-- booking rules: public to read (clinic page, slots); owners/admins edit.
create policy appointment_types_select on public.appointment_types for select to anon, authenticated using (true);
create policy appointment_types_insert on public.appointment_types for insert to authenticated
  with check (private.is_clinic_admin(clinic_id));
create policy appointment_types_update on public.appointment_types for update to authenticated
  using (private.is_clinic_admin(clinic_id)) with check (private.is_clinic_admin(clinic_id));
create policy appointment_types_delete on public.appointment_types for delete to authenticated
  using (private.is_clinic_admin(clinic_id));

create policy working_hours_select on public.working_hours for select to anon, authenticated using (true);
create policy working_hours_insert on public.working_hours for insert to authenticated
  with check (private.is_clinic_admin(clinic_id));
create policy working_hours_update on public.working_hours for update to authenticated
  using (private.is_clinic_admin(clinic_id)) with check (private.is_clinic_admin(clinic_id));
create policy working_hours_delete on public.working_hours for delete to authenticated
  using (private.is_clinic_admin(clinic_id));

create policy closed_dates_select on public.closed_dates for select to anon, authenticated using (true);
create policy closed_dates_insert on public.closed_dates for insert to authenticated
  with check (private.is_clinic_admin(clinic_id));
create policy closed_dates_update on public.closed_dates for update to authenticated
  using (private.is_clinic_admin(clinic_id)) with check (private.is_clinic_admin(clinic_id));
create policy closed_dates_delete on public.closed_dates for delete to authenticated
  using (private.is_clinic_admin(clinic_id));

-- queues: the version row is public (no personal data; column grants hide the summary).
create policy queues_select on public.queues for select to anon, authenticated using (true);

-- queue entries: staff of the clinic, and the patient their own visits. Writes only through RPCs.
create policy queue_entries_select on public.queue_entries for select to authenticated
  using (private.is_clinic_staff(clinic_id) or private.is_own_patient(patient_id));

-- event log: staff of the clinic.
create policy queue_events_select on public.queue_events for select to authenticated
  using (private.is_clinic_staff(clinic_id));

-- invitations: owners/admins see and delete; create/accept/revoke through RPCs.
create policy staff_invitations_select on public.staff_invitations for select to authenticated
  using (private.is_clinic_admin(clinic_id));
create policy staff_invitations_delete on public.staff_invitations for delete to authenticated
  using (private.is_clinic_admin(clinic_id));

-- templates: built-ins readable by all; a clinic's own by its staff; owners/admins write.
create policy notification_templates_select on public.notification_templates for select to anon, authenticated
  using (clinic_id is null or private.is_clinic_staff(clinic_id));
create policy notification_templates_insert on public.notification_templates for insert to authenticated
  with check (clinic_id is not null and private.is_clinic_admin(clinic_id));
create policy notification_templates_update on public.notification_templates for update to authenticated
  using (clinic_id is not null and private.is_clinic_admin(clinic_id))
  with check (clinic_id is not null and private.is_clinic_admin(clinic_id));
create policy notification_templates_delete on public.notification_templates for delete to authenticated
  using (clinic_id is not null and private.is_clinic_admin(clinic_id));

-- sent-message log: staff of the clinic read; writes through the budget RPCs / service role.
create policy notifications_select on public.notifications for select to authenticated
  using (private.is_clinic_staff(clinic_id));

-- budgets: owners/admins read and set limits (column grants keep counters out of reach).
create policy sms_budgets_select on public.sms_budgets for select to authenticated
  using (private.is_clinic_admin(clinic_id));
create policy sms_budgets_insert on public.sms_budgets for insert to authenticated
  with check (private.is_clinic_admin(clinic_id));
create policy sms_budgets_update on public.sms_budgets for update to authenticated
  using (private.is_clinic_admin(clinic_id)) with check (private.is_clinic_admin(clinic_id));
