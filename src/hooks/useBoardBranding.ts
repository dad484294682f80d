/**
 * The board's colours and logo in Admin (board20), over BoardBrandingService: its own file so only the admin's lazy
 * board section loads it. Writes invalidate the branding's query.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BoardBranding } from '../services/clinic/BoardBrandingService';
import type { AppServices } from '../services/composition/AppServices';
import { unwrap, type AppErrorException } from './AppErrorException';
import { clinicKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { BoardBranding };
// the board's contrast rule (the database's private.board_min_contrast), for Admin's instant answer: with this lazy
// hook only, not in the clinic api every staff screen carries
export {
  BOARD_PAUSE_AMBER,
  BOARD_PAUSE_AMBER_ALPHA,
  boardColour,
  boardMinContrast,
  DEFAULT_BOARD_COLOURS,
  MIN_BOARD_CONTRAST,
} from '../services/clinic/models/BoardColours';

export const boardBrandingQuery = (services: AppServices, clinicId: string) =>
  queryOptions<BoardBranding, AppErrorException>({
    queryKey: clinicKeys.boardBranding(clinicId),
    queryFn: async () => unwrap(await (await services.boardBranding()).branding(clinicId)),
  });

export function useBoardBrandingSettings(clinicId: string) {
  const services = useServices();
  const qc = useQueryClient();
  const query = useQuery(boardBrandingQuery(services, clinicId));
  const settle = (b: BoardBranding | undefined) => {
    if (b) qc.setQueryData(clinicKeys.boardBranding(clinicId), b);
    void qc.invalidateQueries({ queryKey: clinicKeys.boardBranding(clinicId) });
  };
  const setColours = useMutation<
    BoardBranding,
    AppErrorException,
    { bg: string | null; accent: string | null }
  >({
    mutationFn: async ({ bg, accent }) =>
      unwrap(await (await services.boardBranding()).setColours(clinicId, bg, accent)),
    onSettled: settle,
  });
  const setLogo = useMutation<BoardBranding, AppErrorException, Uint8Array | null>({
    mutationFn: async (bytes) => unwrap(await (await services.boardBranding()).setLogo(clinicId, bytes)),
    onSettled: settle,
  });
  return { query, setColours, setLogo };
}
