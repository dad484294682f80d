/**
 * Proving the notification email (email18, security): `send` mails a code to the address, `confirm` enters it — the
 * address is then the account's confirmed email and the clinic's messages go there (the preferences are read again).
 * Its own file: only the lazy "confirm your email" panel (pages/visits/EmailProof) uses it, so it travels in that
 * chunk, not in every screen's booking hooks.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export function useNotificationEmailProof(clinicId: string) {
  const { booking } = useServices();
  const qc = useQueryClient();
  return {
    send: useMutation<void, AppErrorException, string>({
      mutationFn: async (email) => unwrap(await booking.sendNotificationEmailCode(email)),
    }),
    confirm: useMutation<void, AppErrorException, { email: string; code: string }>({
      mutationFn: async ({ email, code }) => unwrap(await booking.confirmNotificationEmail(email, code)),
      onSuccess: () => void qc.invalidateQueries({ queryKey: bookingKeys.myPrefs(clinicId) }),
    }),
  };
}
