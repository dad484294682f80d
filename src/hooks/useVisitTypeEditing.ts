/**
 * Visit types on the admin's types tab (issue 17): add, rename (names per language, colour), archive/restore. Its own file so that only the
 * lazy types tab carries it; length and mode stay in useClinicService (optimistic). Every write is the
 * clinic's whole list through set_appointment_types, and invalidates the clinic's queries and the booking
 * screens' (a clinic's page lists its types).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { VisitTypeInput } from '../services/clinic/repositories/ClinicRepository';
import { unwrap, type AppErrorException } from './AppErrorException';
import { bookingKeys, clinicKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type VisitTypeChange = Partial<
  Pick<
    VisitTypeInput,
    'name' | 'durationMinutes' | 'bookingMode' | 'active' | 'names' | 'color' | 'practitionerIds'
  >
>;

export function useVisitTypeEditing(clinicId: string) {
  const { clinic } = useServices();
  const qc = useQueryClient();
  const onSettled = () => {
    void qc.invalidateQueries({ queryKey: clinicKeys.clinic(clinicId) });
    void qc.invalidateQueries({ queryKey: bookingKeys.all });
  };
  const addType = useMutation<
    readonly string[],
    AppErrorException,
    { name: string; durationMinutes: number; bookingMode?: 'slotted' | 'fluid' | null }
  >({
    mutationFn: async (type) => unwrap(await clinic.addVisitType(clinicId, type)),
    onSettled,
  });
  const changeType = useMutation<
    readonly string[],
    AppErrorException,
    { typeId: string; change: VisitTypeChange }
  >({
    mutationFn: async ({ typeId, change }) => unwrap(await clinic.changeVisitType(clinicId, typeId, change)),
    onSettled,
  });
  return { addType, changeType };
}
