// The notification-admin contract on the in-memory fake the hook tests use (the Supabase adapter runs it in
// test/integration/notificationAdmin.contract.test.ts).
import { InMemoryNotificationAdminWorld } from '../../src/services/notification/repositories/InMemoryNotificationAdminRepository';
import { notificationAdminContract } from '../fixtures/contracts/notificationAdminContract';

let n = 0;
notificationAdminContract('in-memory fake', async () => {
  const clinicId = `clinic-${++n}`;
  const world = new InMemoryNotificationAdminWorld((user, clinic) =>
    user === 'owner' && clinic === clinicId ? 'owner' : null,
  );
  return {
    clinicId,
    admin: world.as('owner'),
    stranger: world.as('stranger'),
    logMessage: async (clinic, m) => {
      const id = `m-${world.messages.get(clinic)?.length ?? 0}`;
      world.messages.set(clinic, [...(world.messages.get(clinic) ?? []), { id, ...m }]);
      return id;
    },
  };
});
