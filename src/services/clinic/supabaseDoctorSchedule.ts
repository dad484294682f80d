// The doctor-schedule service on supabase-js (hours19): its own chunk, loaded by services.doctorSchedule().
import type { SupabaseClient } from '@supabase/supabase-js';
import { DoctorScheduleService } from './DoctorScheduleService';
import { SupabaseDoctorScheduleRepository } from './repositories/SupabaseDoctorScheduleRepository';

export const createSupabaseDoctorScheduleService = (client: SupabaseClient): DoctorScheduleService =>
  new DoctorScheduleService(new SupabaseDoctorScheduleRepository(client));
