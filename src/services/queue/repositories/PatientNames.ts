/**
 * Patients' names for a staff screen that applies another desk's change (issue 12): an entry row that
 * Realtime delivers carries no name, so a new walk-in or emergency heard over Realtime needs its patient's
 * name before the screen can show it. The screen asks for just those names instead of re-reading the day.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';

export interface PatientNames {
  /** Names of the clinic's patients by id (RLS: staff of the clinic); an id not readable is left out. */
  namesOf(
    clinicId: string,
    patientIds: readonly string[],
  ): Promise<Result<ReadonlyMap<string, string>, AppError>>;
}

/** At most this many names in one look-up; a larger change reloads the day instead. */
export const MAX_NAMES_PER_LOOKUP = 20;
