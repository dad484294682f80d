// The notification-admin contract on the Supabase adapter (templates and the log: RLS-guarded reads;
// save_notification_template and sms_budget_report: RPCs) on the local stack; the fake runs it in
// test/unit/notificationAdmin.fake.contract.test.ts.
import { afterAll, beforeAll, describe } from 'vitest';
import { SupabaseNotificationAdminRepository } from '../../src/services/notification/repositories/SupabaseNotificationAdminRepository';
import { notificationAdminContract } from '../fixtures/contracts/notificationAdminContract';
import { startAppStack, type AppStack } from './appStack';

describe('on pglite', () => {
  let app: AppStack;
  let n = 0;
  beforeAll(async () => {
    app = await startAppStack('pglite');
  });
  afterAll(async () => {
    await app?.stop();
  });

  notificationAdminContract('Supabase adapter (pglite)', async () => {
    const owner = await app.newClinic(`notif-admin-${++n}`);
    const stranger = await app.newClinic(`notif-stranger-${n}`);
    return {
      clinicId: owner.clinicId,
      admin: new SupabaseNotificationAdminRepository(owner.client),
      stranger: new SupabaseNotificationAdminRepository(stranger.client),
      logMessage: async (clinicId, m) => {
        const r = await app.db.query<{ id: string }>(
          `insert into public.notifications (clinic_id, kind, language, body, segments, status, created_at,
                                             idempotency_key, channel, skip_reason, fallback_of, hard_bounce)
           values ($1, $2, $3, $4, $5, $6, $7, gen_random_uuid()::text, $8, $9, $10, $11) returning id`,
          [
            clinicId,
            m.kind,
            m.language,
            m.body,
            m.segments,
            m.status,
            m.createdAt,
            m.channel,
            m.skipReason,
            m.fallbackOf ?? null,
            m.hardBounce ?? false,
          ],
        );
        return r.rows[0]!.id;
      },
    };
  });
});
