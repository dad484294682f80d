// review26 M2 through the real path: supabase-js → local stack → the migrations, on PGlite and PostgreSQL.
// The reviewer's repro was a receptionist's PATCH /rest/v1/patients {"sms_opt_out": false} answered 200: a
// patient's STOP silently undone. Now 403 PATIENT.OPT_OUT_PATIENT_ONLY (what the app's error mapping reads); the
// clinic's staff still turn texts off, the patient turns them back on from their own account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapPostgrestError } from '../../src/services/shared/repositories/postgrest';
import { ErrorCodes } from '../../src/services/shared/AppError';
import { startAppStack, type AppStack, type Kind } from './appStack';

describe.each(['pglite', 'postgres'] as Kind[])(
  'who takes back an SMS STOP, over supabase-js on %s',
  (kind) => {
    let app: AppStack;
    beforeAll(async () => {
      app = await startAppStack(kind);
    });
    afterAll(async () => {
      await app?.stop();
    });

    it('staff turn texts off but not back on; the patient does; another clinic and anon reach nothing', async () => {
      const owner = await app.newClinic('stop');
      const other = await app.newClinic('stopother');
      const patient = await app.signUp('stoppatient');
      const [rec] = await app.addPatients(owner.clinicId, ['Amina Bennani']);
      if (!rec) throw new Error('fixture patient');
      await app.db.query('update public.patients set user_id = $2 where id = $1', [rec.id, patient.userId]);
      const optedOut = async () =>
        (
          await app.db.query<{ sms_opt_out: boolean }>(
            'select sms_opt_out from public.patients where id = $1',
            [rec.id],
          )
        ).rows[0]?.sms_opt_out;
      const set = (c: typeof owner.client, v: boolean) =>
        c.from('patients').update({ sms_opt_out: v }).eq('id', rec.id).select('id');

      // the patient asks at the desk: staff turn texts off
      const off = await set(owner.client, true);
      expect(off.error).toBeNull();
      expect(off.data).toHaveLength(1);
      expect(await optedOut()).toBe(true);

      // staff cannot take the STOP back
      const back = await set(owner.client, false);
      expect(back.status).toBe(403);
      expect(back.error?.message).toBe('PATIENT.OPT_OUT_PATIENT_ONLY');
      expect(mapPostgrestError(back.error, back.status).code).toBe(ErrorCodes.PATIENT_OPT_OUT_PATIENT_ONLY);
      expect(await optedOut()).toBe(true);

      // another clinic's owner reaches no row; anon has no right
      const foreign = await set(other.client, false);
      expect(foreign.error).toBeNull();
      expect(foreign.data).toEqual([]);
      const anon = await set(app.client(), false);
      expect(anon.error).not.toBeNull();
      expect(await optedOut()).toBe(true);

      // the patient, signed in, turns texts back on for their own record; the trail holds both changes
      const mine = await set(patient.client, false);
      expect(mine.error).toBeNull();
      expect(mine.data).toHaveLength(1);
      expect(await optedOut()).toBe(false);
      const { rows } = await app.db.query<{ kind: string; actor_id: string }>(
        `select kind, actor_id from public.audit_log where patient_id = $1 order by id`,
        [rec.id],
      );
      expect(rows).toEqual([
        { kind: 'sms_opt_out', actor_id: owner.userId },
        { kind: 'sms_opt_in', actor_id: patient.userId },
      ]);
    });
  },
);
