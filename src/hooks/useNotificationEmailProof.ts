/**
 * Proving the notification email (mail22: QueueMed's own code): `send` asks the database to mail a code to the
 * address saved on the patient's record in this clinic, `confirm` enters it — the address is then proved and the
 * clinic's messages go there (the preferences are read again). Its own file: only the lazy "confirm your email"
 * panel (pages/visits/EmailProof) uses it, so it travels in that chunk, not in every screen's booking hooks.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export function useNotificationEmailProof(clinicId: string) {
  const { booking } = useServices();
  const qc = useQueryClient();
  const reread = () => void qc.invalidateQueries({ queryKey: bookingKeys.myPrefs(clinicId) });
  return {
    send: useMutation<void, AppErrorException, void>({
      mutationFn: async () => unwrap(await booking.sendNotificationEmailCode(clinicId)),
      // already proved (another tab entered the code): the preferences say so once read again
      onError: (e) => {
        if (e.code === 'EMAIL_PROOF.ALREADY_PROVED') reread();
      },
    }),
    confirm: useMutation<void, AppErrorException, string>({
      mutationFn: async (code) => unwrap(await booking.confirmNotificationEmail(clinicId, code)),
      onSuccess: reread,
    }),
  };
}
