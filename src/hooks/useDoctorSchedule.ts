/**
 * A doctor's own week and leave (issue 17, hours19; docs/domain-rules.md H1–H5), over ClinicService. Its own file so
 * only the admin's lazy doctor-schedule section loads it (the service itself loads on first use). Writes invalidate the clinic's queries and the free slots.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WeeklyHours } from '../services/appointment/api';
import type { DoctorLeave } from '../services/clinic/repositories/DoctorScheduleRepository';
import type { AppServices } from '../services/composition/AppServices';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys, clinicKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { DoctorLeave };

export const doctorHoursQuery = (services: AppServices, clinicId: string) =>
  queryOptions<Readonly<Record<string, WeeklyHours>>, AppErrorException>({
    queryKey: clinicKeys.doctorHours(clinicId),
    queryFn: async () => unwrap(await (await services.doctorSchedule()).doctorHours(clinicId)),
  });
export function useDoctorHours(clinicId: string) {
  return useQuery(doctorHoursQuery(useServices(), clinicId));
}

export const doctorLeaveQuery = (services: AppServices, clinicId: string) =>
  queryOptions<readonly DoctorLeave[], AppErrorException>({
    queryKey: clinicKeys.doctorLeave(clinicId),
    queryFn: async () => unwrap(await (await services.doctorSchedule()).doctorLeave(clinicId)),
  });
export function useDoctorLeave(clinicId: string) {
  return useQuery(doctorLeaveQuery(useServices(), clinicId));
}

/** The doctor-schedule writes of one clinic. */
export function useDoctorScheduleService(clinicId: string) {
  const services = useServices();
  const qc = useQueryClient();
  const invalidate = () => {
    void qc.invalidateQueries({ queryKey: clinicKeys.clinic(clinicId) });
    void qc.invalidateQueries({ queryKey: bookingKeys.all });
  };
  const setDoctorHours = useMutation<
    void,
    AppErrorException,
    { practitionerId: string; weekly: WeeklyHours }
  >({
    mutationFn: async ({ practitionerId, weekly }) =>
      unwrap(await (await services.doctorSchedule()).setDoctorHours(clinicId, practitionerId, weekly)),
    onSettled: invalidate,
  });
  const addDoctorLeave = useMutation<
    { readonly id: string; readonly visits: number },
    AppErrorException,
    { practitionerId: string; fromDay: string; toDay: string; reason?: string | null }
  >({
    mutationFn: async (leave) =>
      unwrap(await (await services.doctorSchedule()).addDoctorLeave(clinicId, leave)),
    onSettled: invalidate,
  });
  const removeDoctorLeave = useMutation<void, AppErrorException, string>({
    mutationFn: async (leaveId) => unwrap(await (await services.doctorSchedule()).removeDoctorLeave(leaveId)),
    onSettled: invalidate,
  });
  return { setDoctorHours, addDoctorLeave, removeDoctorLeave };
}
