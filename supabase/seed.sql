-- QueueMed demo data: a clinic in Casablanca with a split working day, its staff, patients with Arabic
-- and French names, and today's queue (times relative to now, so the demo always looks live).
-- Applied by `supabase db reset` on Supabase and by the local stack (`npm start`, once).
--
-- ┌─ Demo logins (password for every account: QueueMed-demo-2026) ─────────────────────────────────┐
-- │ owner          owner@demo.queuemed.ma       Dr Karim Alaoui   (owner of Cabinet Médical Anfa)   │
-- │ practitioner   salma.benali@demo.queuemed.ma Dr Salma Benali  (room 1)                          │
-- │ practitioner   julien.martin@demo.queuemed.ma Dr Julien Martin (room 2)                         │
-- │ receptionist   accueil@demo.queuemed.ma     Nadia Chraibi     (reception)                       │
-- │ patient        patient@demo.queuemed.ma     Amine Tazi        (phone +212600000100)             │
-- │ public page    /c/cabinet-anfa     ·  tracking link token of Amine's visit: demo-visit-amine     │
-- └────────────────────────────────────────────────────────────────────────────────────────────────┘

do $seed$
declare
  c_pw constant text := '$2a$10$rZ0lK/2xoePTUDHevW2QCOA8q.aRYLIhro2Bh4aTpAZmbGUK2RUie';
  c_clinic constant uuid := '11111111-1111-4111-8111-111111111111';
  u_owner constant uuid := '11111111-0000-4000-8000-000000000001';
  u_salma constant uuid := '11111111-0000-4000-8000-000000000002';
  u_julien constant uuid := '11111111-0000-4000-8000-000000000003';
  u_nadia constant uuid := '11111111-0000-4000-8000-000000000004';
  u_amine constant uuid := '11111111-0000-4000-8000-000000000005';
  m_owner uuid := gen_random_uuid();
  m_salma uuid := gen_random_uuid();
  m_julien uuid := gen_random_uuid();
  t_consult uuid := gen_random_uuid();
  t_control uuid := gen_random_uuid();
  t_echo uuid := gen_random_uuid();
  v_today date;
  v_queue uuid := gen_random_uuid();
  v_now timestamptz := date_trunc('minute', private.now());
  p record;
  v_patients uuid[] := '{}';
  v_pid uuid;
  n integer := 0;
begin
  if exists (select 1 from public.clinics where id = c_clinic) then
    return; -- already seeded
  end if;

  insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, phone,
                          phone_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
                          confirmation_token, recovery_token, email_change_token_new, email_change)
  select '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated', u.email, c_pw, private.now(),
         u.phone, case when u.phone is not null then private.now() end,
         '{"provider":"email","providers":["email"]}'::jsonb,
         jsonb_build_object('full_name', u.full_name, 'preferred_language', u.lang), private.now(), private.now(), '', '', '', ''
  from (values
    (u_owner, 'owner@demo.queuemed.ma', null, 'Dr Karim Alaoui', 'fr'),
    (u_salma, 'salma.benali@demo.queuemed.ma', null, 'Dr Salma Benali', 'ar'),
    (u_julien, 'julien.martin@demo.queuemed.ma', null, 'Dr Julien Martin', 'fr'),
    (u_nadia, 'accueil@demo.queuemed.ma', null, 'Nadia Chraibi', 'fr'),
    (u_amine, 'patient@demo.queuemed.ma', '212600000100', 'Amine Tazi', 'fr')
  ) as u(id, email, phone, full_name, lang);

  insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
  select u.id::text, u.id, jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true),
         'email', private.now(), private.now()
  from auth.users u where u.id in (u_owner, u_salma, u_julien, u_nadia, u_amine);

  insert into public.clinics (id, slug, name, time_zone, default_language, phone, address, settings, created_by,
                              city, specialty, directory_listed)
  values (c_clinic, 'cabinet-anfa', 'Cabinet Médical Anfa', 'Africa/Casablanca', 'fr', '+212522000000',
          '12 boulevard d''Anfa, Casablanca', '{"board_show_names": true}', u_owner,
          'Casablanca', 'general', true); -- in the public directory (/clinics, dir20)
  v_today := private.clinic_today('Africa/Casablanca');

  insert into public.clinic_members (id, clinic_id, user_id, role, display_name, room) values
    (m_owner, c_clinic, u_owner, 'owner', 'Dr Karim Alaoui', '3'),
    (m_salma, c_clinic, u_salma, 'practitioner', 'Dr Salma Benali', '1'),
    (m_julien, c_clinic, u_julien, 'practitioner', 'Dr Julien Martin', '2'),
    (gen_random_uuid(), c_clinic, u_nadia, 'receptionist', 'Nadia Chraibi', null);

  insert into public.appointment_types (id, clinic_id, name, duration_minutes) values
    (t_consult, c_clinic, 'Consultation', 15),
    (t_control, c_clinic, 'Contrôle', 10),
    (t_echo, c_clinic, 'Échographie', 30);

  -- Monday–Friday 09:00–13:00 and 15:00–19:00, Saturday morning
  insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
  select c_clinic, d, s, e
  from generate_series(1, 5) d, (values (time '09:00', time '13:00'), (time '15:00', time '19:00')) h(s, e)
  union all select c_clinic, 6, '09:00', '13:00';

  insert into public.closed_dates (clinic_id, day, reason)
  select c_clinic, d, r from (values
    (make_date(extract(year from v_today)::int + 1, 1, 1), 'Nouvel an'),
    (make_date(extract(year from v_today)::int + 1, 1, 11), 'Manifeste de l''indépendance'),
    (make_date(extract(year from v_today)::int + 1, 5, 1), 'Fête du travail')) x(d, r);

  insert into public.sms_budgets (clinic_id, month, limit_count, limit_amount)
  values (c_clinic, private.budget_month(c_clinic), 500, 250);

  -- patients (walk-in records without account, plus Amine's own record)
  for p in select * from (values
    ('فاطمة الزهراء العلوي', '+212600000101', 'ar'),
    ('يوسف بنجلون', '+212600000102', 'ar'),
    ('Camille Dubois', '+212600000103', 'fr'),
    ('Mehdi El Fassi', '+212600000104', 'fr'),
    ('عبد الله التازي', '+212600000105', 'ar'),
    ('Sophie Laurent', '+212600000106', 'fr'),
    ('خديجة المنصوري', '+212600000107', 'ar'),
    ('Hamza Berrada', '+212600000108', 'fr'),
    ('Léa Moreau', null, 'fr')) x(full_name, phone, lang)
  loop
    insert into public.patients (clinic_id, full_name, phone, preferred_language)
    values (c_clinic, p.full_name, p.phone, p.lang::public.app_language) returning id into v_pid;
    v_patients := v_patients || v_pid;
  end loop;
  insert into public.patients (clinic_id, user_id, full_name, phone, preferred_language)
  values (c_clinic, u_amine, 'Amine Tazi', '+212600000100', 'fr') returning id into v_pid;
  v_patients := v_patients || v_pid; -- index 10

  insert into public.queues (id, clinic_id, day) values (v_queue, c_clinic, v_today);

  -- today's queue: (patient index, kind, status, slot offset minutes, practitioner, priority)
  for p in select * from (values
    (1, 'booked', 'completed', -90, 1, 'normal'),
    (2, 'booked', 'completed', -70, 2, 'normal'),
    (3, 'booked', 'in_service', -25, 1, 'normal'),
    (4, 'walk_in', 'called', null, 2, 'normal'),
    (5, 'booked', 'waiting', -10, 1, 'normal'),
    (6, 'walk_in', 'waiting', null, 0, 'urgent'),
    (10, 'booked', 'waiting', 0, 0, 'normal'),
    (7, 'booked', 'scheduled', 30, 1, 'normal'),
    (8, 'booked', 'scheduled', 50, 2, 'normal'),
    (9, 'walk_in', 'absent', null, 0, 'normal')) x(pi, kind, status, off, pr, prio)
  loop
    n := n + 1;
    insert into public.queue_entries (
      queue_id, clinic_id, patient_id, practitioner_id, appointment_type_id, kind, status, priority,
      ticket_number, order_key, slot_start, slot_end, checked_in_at, called_at, started_at, finished_at,
      absent_at, grace_ends_at, called_room, served_by, tracking_token_hash)
    values (
      v_queue, c_clinic, v_patients[p.pi],
      case p.pr when 1 then m_salma when 2 then m_julien end,
      case when p.kind = 'booked' then t_consult end,
      p.kind::public.entry_kind, p.status::public.entry_status, p.prio::public.entry_priority, n,
      extract(epoch from coalesce(v_now + make_interval(mins => p.off), v_now - make_interval(mins => 40 - n)))::numeric,
      case when p.kind = 'booked' then v_now + make_interval(mins => p.off) end,
      case when p.kind = 'booked' then v_now + make_interval(mins => p.off + 15) end,
      case when p.status <> 'scheduled' then v_now - make_interval(mins => 45 - n * 3) end,
      case when p.status in ('completed', 'in_service', 'called', 'absent') then v_now - make_interval(mins => 40 - n * 3) end,
      case when p.status in ('completed', 'in_service') then v_now - make_interval(mins => 38 - n * 3) end,
      case when p.status = 'completed' then v_now - make_interval(mins => 26 - n * 3) end,
      case when p.status = 'absent' then v_now - make_interval(mins => 3) end,
      case when p.status = 'absent' then v_now + make_interval(mins => 7) end,
      case when p.status in ('called', 'in_service', 'completed') then case p.pr when 1 then '1' else '2' end end,
      -- served_by: the desk that started the visit; the seeded called-only walk-in (A-004) has no desk yet, as
      -- before the columns existed (with one, rule C9 would block that doctor's first "call next" of the demo)
      case when p.status in ('in_service', 'completed') then case p.pr when 1 then m_salma else m_julien end end,
      case when p.pi = 10 then private.hash_token('demo-visit-amine') end);
  end loop;
  update public.queues set next_ticket = n + 1 where id = v_queue;

  insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, actor_id, occurred_at)
  select v_queue, c_clinic, e.id,
         case e.status when 'completed' then 'ServiceFinished' when 'in_service' then 'ServiceStarted'
                       when 'called' then 'PatientCalled' when 'absent' then 'PatientMarkedAbsent'
                       else 'PatientCheckedIn' end,
         jsonb_build_object('ticket', private.ticket_label('A', e.ticket_number)), u_nadia,
         coalesce(e.called_at, e.checked_in_at, private.now())
  from public.queue_entries e where e.queue_id = v_queue and e.status <> 'scheduled';
  update public.queue_events set notified_at = private.now() where queue_id = v_queue;
end
$seed$;
