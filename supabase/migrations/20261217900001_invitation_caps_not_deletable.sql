-- Session 18 (mend18), review of fix18's H2 (20261217800001_held_clinic_messages.sql): the invitation caps counted
-- rows an owner/admin could delete. create_staff_invitation refuses a 21st pending invitation and a 51st made in 24
-- hours by counting public.staff_invitations, but the policy staff_invitations_delete (20261201000100_rls.sql) let
-- the clinic's owner/admin DELETE /rest/v1/staff_invitations?clinic_id=eq.<id>: delete the 50, invite 50 more,
-- each one an email from the platform's address (send-staff-invitation) — the unlimited mailing H2 meant to stop,
-- for a held clinic too.
--
-- Rule now: an invitation row is never deleted by a client; an admin withdraws one with revoke_staff_invitation
-- (the row stays, revoked, and still counts for the day). The app never deleted invitations (it revokes them);
-- rows still go with their clinic (on delete cascade) and the service role keeps its rights.
drop policy staff_invitations_delete on public.staff_invitations;
revoke delete on public.staff_invitations from anon, authenticated;
