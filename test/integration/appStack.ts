/**
 * The local stack with QueueMed's real migrations (shim + supabase/migrations), for the contract suites,
 * the concurrency test and the realtime hook test. Staff users sign up through GoTrue and create their
 * clinic through the `create_clinic` RPC; fixture patients and extra members are seeded with SQL as the
 * database owner (faster than going through invitations for every test).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { migrate, type Db } from '../../supabase/local/db';
import type { Stack } from '../../supabase/local/stack';
import { openTestDb, stackClients, startFixtureStack, type Kind } from '../fixtures/localStack';
import type { StackOptions } from '../../supabase/local/stack';
import { approveClinicSms } from '../fixtures/approveClinicSms';

export type { Kind };

export interface AppStack {
  stack: Stack;
  db: Db;
  /** A supabase-js client; with a token it acts as that user (REST and Realtime). */
  client(accessToken?: string): SupabaseClient;
  /**
   * A new email account; with `phone`, the account also has that phone confirmed (through the auth admin API, as
   * phone sign-in would leave it): a patient's own booking needs it (abuse17).
   */
  signUp(
    label: string,
    phone?: string,
  ): Promise<{ userId: string; email: string; token: string; client: SupabaseClient }>;
  /** A new clinic owned by a new user; returns the owner's client and member id. */
  newClinic(label: string): Promise<{
    clinicId: string;
    memberId: string;
    userId: string;
    email: string;
    token: string;
    client: SupabaseClient;
  }>;
  addPatients(clinicId: string, names: readonly string[]): Promise<{ id: string; name: string }[]>;
  stop(): Promise<void>;
}

let seq = 0;

export async function startAppStack(kind: Kind, options: Partial<StackOptions> = {}): Promise<AppStack> {
  const { db, close } = await openTestDb(kind, 30, 'migrated');
  await migrate(db);
  const stack = await startFixtureStack(db, options);
  const clients = stackClients(stack, close);
  const client = (accessToken?: string): SupabaseClient => clients.client(stack.anonKey, accessToken);
  const signUp = async (label: string, phone?: string) => {
    const anon = client();
    const email = `${label}-${process.pid}-${++seq}@example.test`;
    const { data, error } = await anon.auth.signUp({ email, password: 'secret-pass-123' });
    if (error || !data.session || !data.user)
      throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
    if (phone) {
      // PUT /auth/v1/admin/users/:id — what supabase-js's auth.admin.updateUserById sends
      const confirmed = await fetch(`${stack.url}/auth/v1/admin/users/${data.user.id}`, {
        method: 'PUT',
        headers: {
          apikey: stack.serviceKey,
          authorization: `Bearer ${stack.serviceKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ phone, phone_confirm: true }),
      });
      if (!confirmed.ok)
        throw new Error(`phone confirmation failed: ${confirmed.status} ${await confirmed.text()}`);
    }
    const token = data.session.access_token;
    return { userId: data.user.id, email, token, client: client(token) };
  };
  return {
    stack,
    db,
    client,
    signUp,
    async newClinic(label) {
      const owner = await signUp(label);
      const { data, error } = await owner.client.rpc('create_clinic', {
        p_name: `Clinic ${label}`,
        p_slug: `${label}-${process.pid}-${++seq}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
        p_display_name: `Dr ${label}`,
      });
      if (error) throw new Error(`create_clinic: ${error.message}`);
      const r = data as { clinic_id: string; member_id: string };
      await approveClinicSms(stack, r.clinic_id); // abuse17: the operator approves it for SMS
      return { clinicId: r.clinic_id, memberId: r.member_id, ...owner };
    },
    async addPatients(clinicId, names) {
      const out: { id: string; name: string }[] = [];
      for (const name of names) {
        const { rows } = await db.query<{ id: string }>(
          'insert into public.patients (clinic_id, full_name) values ($1, $2) returning id',
          [clinicId, name],
        );
        const id = rows[0]?.id;
        if (!id) throw new Error('patient insert failed');
        out.push({ id, name });
      }
      return out;
    },
    stop: clients.stop,
  };
}
