// The clinic directory contract on the Supabase adapter (search_clinic_directory as anon, get/set_clinic_listing
// as the clinic's owner and as a stranger) on the local stack.
import { afterAll, beforeAll, describe } from 'vitest';
import { SupabaseClinicDirectoryRepository } from '../../src/services/clinic/repositories/SupabaseClinicDirectoryRepository';
import { SupabaseClinicRepository } from '../../src/services/clinic/repositories/SupabaseClinicRepository';
import { clinicDirectoryContract } from '../fixtures/contracts/clinicDirectoryContract';
import { startAppStack, type AppStack } from './appStack';

describe('on pglite', () => {
  let app: AppStack;
  let n = 0;
  // a number as fixed-width base-26 letters (a = 0)
  const letters = (x: number, width: number): string =>
    [...x.toString(26).padStart(width, '0')].map((c) => String.fromCharCode(97 + parseInt(c, 26))).join('');
  beforeAll(async () => {
    app = await startAppStack('pglite');
  });
  afterAll(async () => {
    await app?.stop();
  });

  clinicDirectoryContract('Supabase adapter (pglite)', async () => {
    const founder = await app.signUp('founder');
    const stranger = await app.signUp('stranger');
    return {
      founder: new SupabaseClinicRepository(founder.client),
      founderDirectory: new SupabaseClinicDirectoryRepository(founder.client),
      strangerDirectory: new SupabaseClinicDirectoryRepository(stranger.client),
      visitor: new SupabaseClinicDirectoryRepository(app.client()),
      // the platform operator's hold (abuse17): create_clinic holds a self-made clinic until approved
      setHeld: async (clinicId, held) => {
        await app.db.query('update public.clinics set sms_held = $2 where id = $1', [clinicId, held]);
      },
      // letters only: the tag goes into a clinic name, and a clinic name holds at most 7 digits with no run of 6
      // (rule N1, sec24b) — a base-36 tag could hold 8 digits, or 6 joined by look-alike letters (i, l, o, s)
      unique: () => letters(process.pid, 4) + letters(Date.now(), 10) + letters(++n, 3),
    };
  });
});
