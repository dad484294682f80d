/** Clinic admin hooks: settings read, members and invitations, SMS templates, budget and message log. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useBackend } from './backend';
import { bookingKeys, clinicKeys } from '../queryKeys';
import { readPhoneField } from '../../services/shared/phoneField';
import { ok } from '../../services/shared/Result';
import {
  DEFAULT_TEMPLATE_TEXTS,
  TEMPLATE_VARIABLES,
  KIND_VARIABLES,
  smsSegments,
} from '../../services/notification/api';

export const adminKeys = {
  settings: (clinicId: string) => [...clinicKeys.profile(clinicId), 'settings'] as const,
  /** Not clinicKeys.members: useMembers (StaffService) caches another shape there. */
  members: (clinicId: string) => [...clinicKeys.members(clinicId), 'rows'] as const,
  templates: (clinicId: string) => [...clinicKeys.profile(clinicId), 'templates'] as const,
  budget: (clinicId: string) => [...clinicKeys.profile(clinicId), 'budget'] as const,
  log: (clinicId: string) => [...clinicKeys.profile(clinicId), 'log'] as const,
};

/** The notification kinds as the database names them (templates are stored per kind and language). */
export const TEMPLATE_KINDS = [
  'booking_confirmed',
  'almost_turn',
  'your_turn',
  'still_next',
  'marked_absent',
  'returned',
  'cancelled',
  'no_show',
] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export const defaultTemplateText = (k: TemplateKind, lng: 'ar' | 'fr' | 'en'): string =>
  DEFAULT_TEMPLATE_TEXTS[k][lng];
export const templateVariables = (k: TemplateKind): string[] => [...TEMPLATE_VARIABLES, ...KIND_VARIABLES[k]];

/** Preview values for the live template preview. */
export const SAMPLE_VALUES: Record<string, string> = {
  patient_name: 'Amine Tazi',
  clinic_name: 'Cabinet Médical Anfa',
  ticket: 'A-014',
  position: '3',
  eta: '25 min (20-35)',
  room: 'Salle 2',
  grace_minutes: '10',
  tracking_url: 'https://q.md/t/x7Kp2',
  appointment_time: '24/11 10:30',
};

export function renderPreview(body: string): string {
  return body.replace(/\{([a-z_]+)\}/g, (m, v: string) => SAMPLE_VALUES[v] ?? m);
}

/** Segments, encoding and the estimated cost of one message (unit price per segment, MAD). */
export function messageCost(body: string, unitPrice = 0.25) {
  const info = smsSegments(body);
  return {
    chars: body.length,
    segments: info.segments,
    encoding: info.encoding,
    cost: Math.round(info.segments * unitPrice * 100) / 100,
  };
}

export interface MemberRow {
  id: string;
  role: string;
  display_name: string;
  room: string | null;
  active: boolean;
}
export function useMembers(clinicId: string) {
  const backend = useBackend();
  return useQuery({
    queryKey: adminKeys.members(clinicId),
    queryFn: () =>
      backend.select<MemberRow>('clinic_members', 'id,role,display_name,room,active', {
        clinic_id: clinicId,
      }),
  });
}

export function useCreateInvitation(clinicId: string) {
  const backend = useBackend();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: {
      role: string;
      displayName: string;
      email: string | null;
      phone: string | null;
      room: string | null;
    }) => {
      // The RPC matches the invitee by E.164: never hand it the typed text (0612…, 00212…, ٠٦…).
      const phone = v.phone === null ? ok(null) : readPhoneField(v.phone);
      if (!phone.ok) return Promise.reject(phone.error);
      return backend.rpc<{ invitation_id: string; token: string; expires_at: string }>(
        'create_staff_invitation',
        {
          p_clinic_id: clinicId,
          p_role: v.role,
          p_display_name: v.displayName,
          p_email: v.email,
          p_phone: phone.value,
          p_room: v.room,
        },
      );
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: clinicKeys.invitations(clinicId) }),
  });
}

export function useTemplates(clinicId: string) {
  const backend = useBackend();
  return useQuery({
    queryKey: adminKeys.templates(clinicId),
    queryFn: () =>
      backend.select<{ kind: TemplateKind; language: 'ar' | 'fr' | 'en'; body: string }>(
        'notification_templates',
        'kind,language,body',
        { clinic_id: clinicId },
      ),
  });
}

export function useSaveTemplate(clinicId: string) {
  const backend = useBackend();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { kind: TemplateKind; language: 'ar' | 'fr' | 'en'; body: string }) =>
      backend.rpc('save_notification_template', {
        p_clinic_id: clinicId,
        p_kind: v.kind,
        p_language: v.language,
        p_body: v.body,
      }),
    onSettled: () => void qc.invalidateQueries({ queryKey: adminKeys.templates(clinicId) }),
  });
}

export interface BudgetReport {
  limit_count: number | null;
  limit_amount: number | null;
  spent_count: number;
  spent_amount: number;
  reserved_count: number;
  used_ratio: number;
  alert: boolean;
  by_status: Record<string, number>;
}
export function useBudget(clinicId: string) {
  const backend = useBackend();
  return useQuery({
    queryKey: adminKeys.budget(clinicId),
    queryFn: () => backend.rpc<BudgetReport>('sms_budget_report', { p_clinic_id: clinicId }),
  });
}

export function useMessageLog(clinicId: string) {
  const backend = useBackend();
  return useQuery({
    queryKey: adminKeys.log(clinicId),
    queryFn: async () =>
      (
        await backend.select<{
          id: string;
          kind: string;
          status: string;
          language: string | null;
          body: string | null;
          segments: number | null;
          created_at: string;
        }>('notifications', 'id,kind,status,language,body,segments,created_at', { clinic_id: clinicId })
      )
        .sort((a, b) => b.created_at.localeCompare(a.created_at))
        .slice(0, 50),
  });
}

export function useSaveTypeDuration(clinicId: string) {
  const backend = useBackend();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; duration_minutes: number }) =>
      backend.update(
        'appointment_types',
        { duration_minutes: v.duration_minutes },
        { id: v.id, clinic_id: clinicId },
      ),
    onSettled: () => void qc.invalidateQueries({ queryKey: bookingKeys.all }),
  });
}
