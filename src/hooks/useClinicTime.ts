/** The clinic's clock (zone, today, UTC offsets as the server computes them) and the formatting built on it. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { clinicDayOf, formatClinicDateTime, formatClinicTime } from '../services/clinic/api';
import type { ClinicClock } from '../services/clinic/repositories/ClinicRepository';
import type { AppServices } from '../services/composition/AppServices';
import { unwrap, type AppErrorException } from './AppErrorException';
import { clinicKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export const clinicClockQuery = (
  services: AppServices,
  clinicId: string | null,
  from: string | null = null,
  to: string | null = null,
) =>
  queryOptions<ClinicClock, AppErrorException>({
    queryKey: clinicKeys.clock(clinicId ?? '', from, to),
    queryFn: async () => unwrap(await services.clinic.clock(clinicId ?? '', from, to)),
    enabled: Boolean(clinicId),
    staleTime: 5 * 60_000,
    // "today" moves at the clinic's midnight: re-read the clock now and then
    refetchInterval: 10 * 60_000,
  });
/** The clinic's zone, today and the UTC offsets for [from, to] as the server computed them. */
export function useClinicClock(
  clinicId: string | null,
  from: string | null = null,
  to: string | null = null,
) {
  return useQuery(clinicClockQuery(useServices(), clinicId, from, to));
}

/** Formats clinic times with the server's offsets (never the browser's zone rules); null until loaded. */
export interface ClinicTimeFormat {
  readonly today: string;
  time(instant: string): string;
  dateTime(instant: string): string;
  dayOf(instant: string): string;
}
export function clinicTimeFormat(clock: ClinicClock, lng: string): ClinicTimeFormat {
  return {
    today: clock.today,
    time: (i) => formatClinicTime(clock, i, lng),
    dateTime: (i) => formatClinicDateTime(clock, i, lng),
    dayOf: (i) => clinicDayOf(clock, i),
  };
}
export function useClinicTime(
  clinicId: string | null,
  lng: string,
  from: string | null = null,
  to: string | null = null,
): ClinicTimeFormat | null {
  const clock = useClinicClock(clinicId, from, to);
  return clock.data ? clinicTimeFormat(clock.data, lng) : null;
}
