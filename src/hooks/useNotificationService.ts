/** Messaging administration hooks over NotificationAdminService: templates, the month's budget, the message log. */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppServices } from '../services/composition/AppServices';
import type { TemplateInput } from '../services/notification/NotificationAdminService';
import type { ChannelName } from '../services/notification/api';
import type {
  BudgetReport,
  LoggedMessage,
  StoredTemplate,
  WhatsAppSettings,
  WhatsAppTemplate,
} from '../services/notification/repositories/NotificationAdminRepository';
import { unwrap, type AppErrorException } from './AppErrorException';
import { notificationKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type {
  BudgetReport,
  LoggedMessage,
  StoredTemplate,
  TemplateInput,
  WhatsAppSettings,
  WhatsAppTemplate,
};

export const templatesQuery = (services: AppServices, clinicId: string) =>
  queryOptions<readonly StoredTemplate[], AppErrorException>({
    queryKey: notificationKeys.templates(clinicId),
    queryFn: async () => unwrap(await (await services.notificationAdmin()).templates(clinicId)),
    enabled: Boolean(clinicId),
  });
export function useTemplates(clinicId: string) {
  return useQuery(templatesQuery(useServices(), clinicId));
}

export const budgetQuery = (services: AppServices, clinicId: string) =>
  queryOptions<BudgetReport, AppErrorException>({
    queryKey: notificationKeys.budget(clinicId),
    queryFn: async () => unwrap(await (await services.notificationAdmin()).budget(clinicId)),
    enabled: Boolean(clinicId),
  });
export function useBudget(clinicId: string) {
  return useQuery(budgetQuery(useServices(), clinicId));
}

export const messageLogQuery = (services: AppServices, clinicId: string) =>
  queryOptions<readonly LoggedMessage[], AppErrorException>({
    queryKey: notificationKeys.log(clinicId),
    queryFn: async () => unwrap(await (await services.notificationAdmin()).messageLog(clinicId)),
    enabled: Boolean(clinicId),
  });
export function useMessageLog(clinicId: string) {
  return useQuery(messageLogQuery(useServices(), clinicId));
}

export const reminderMinutesQuery = (services: AppServices, clinicId: string) =>
  queryOptions<number | null, AppErrorException>({
    queryKey: notificationKeys.reminder(clinicId),
    queryFn: async () => unwrap(await (await services.notificationAdmin()).reminderMinutes(clinicId)),
    enabled: Boolean(clinicId),
  });
/** Minutes before a booked visit its reminder is sent (null = off). */
export function useReminderMinutes(clinicId: string) {
  return useQuery(reminderMinutesQuery(useServices(), clinicId));
}

/** The clinic's default channel's key (beside its only hook: the admin chunk carries it, not every screen). */
export const defaultChannelKey = (clinicId: string) =>
  [...notificationKeys.clinic(clinicId), 'defaultChannel'] as const;

export const defaultChannelQuery = (services: AppServices, clinicId: string) =>
  queryOptions<ChannelName | null, AppErrorException>({
    queryKey: defaultChannelKey(clinicId),
    queryFn: async () => unwrap(await (await services.notificationAdmin()).defaultChannel(clinicId)),
    enabled: Boolean(clinicId),
  });
/** The clinic's default channel: after the patient's own choice, before SMS then email (null = none). */
export const whatsAppSettingsKey = (clinicId: string) =>
  [...notificationKeys.clinic(clinicId), 'whatsApp'] as const;

export const whatsAppSettingsQuery = (services: AppServices, clinicId: string) =>
  queryOptions({
    queryKey: whatsAppSettingsKey(clinicId),
    queryFn: async () => unwrap(await (await services.notificationAdmin()).whatsAppSettings(clinicId)),
  });

/** The clinic's WhatsApp sender and approved templates (issue 20). */
export function useWhatsAppSettings(clinicId: string) {
  return useQuery(whatsAppSettingsQuery(useServices(), clinicId));
}

export function useDefaultChannel(clinicId: string) {
  return useQuery(defaultChannelQuery(useServices(), clinicId));
}

/** Saving a template is optimistic (the editor shows it at once) and rolled back on a refusal. */
export function useNotificationService(clinicId: string) {
  const { notificationAdmin } = useServices();
  const qc = useQueryClient();
  const key = notificationKeys.templates(clinicId);
  const saveTemplate = useMutation<
    void,
    AppErrorException,
    TemplateInput,
    { previous: readonly StoredTemplate[] | undefined }
  >({
    mutationFn: async (t) => unwrap(await (await notificationAdmin()).saveTemplate(clinicId, t)),
    onMutate: async (t) => {
      await qc.cancelQueries({ queryKey: key });
      const previous = qc.getQueryData<readonly StoredTemplate[]>(key);
      if (previous)
        qc.setQueryData<readonly StoredTemplate[]>(key, [
          ...previous.filter((x) => !(x.kind === t.kind && x.language === t.language)),
          { kind: t.kind, language: t.language, body: t.body },
        ]);
      return { previous };
    },
    onError: (_e, _i, ctx) => {
      if (ctx?.previous) qc.setQueryData(key, ctx.previous);
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: key }),
  });
  const setReminderMinutes = useMutation<number | null, AppErrorException, number | null>({
    mutationFn: async (minutes) =>
      unwrap(await (await notificationAdmin()).setReminderMinutes(clinicId, minutes)),
    onSuccess: (minutes) => qc.setQueryData(notificationKeys.reminder(clinicId), minutes),
    onSettled: () => void qc.invalidateQueries({ queryKey: notificationKeys.reminder(clinicId) }),
  });
  const setDefaultChannel = useMutation<ChannelName | null, AppErrorException, ChannelName | null>({
    mutationFn: async (channel) =>
      unwrap(await (await notificationAdmin()).setDefaultChannel(clinicId, channel)),
    onSuccess: (channel) => qc.setQueryData(defaultChannelKey(clinicId), channel),
    onSettled: () => void qc.invalidateQueries({ queryKey: defaultChannelKey(clinicId) }),
  });
  const setWhatsAppSettings = useMutation<WhatsAppSettings, AppErrorException, WhatsAppSettings>({
    mutationFn: async (settings) =>
      unwrap(await (await notificationAdmin()).setWhatsAppSettings(clinicId, settings)),
    onSuccess: (settings) => qc.setQueryData(whatsAppSettingsKey(clinicId), settings),
    onSettled: () => void qc.invalidateQueries({ queryKey: whatsAppSettingsKey(clinicId) }),
  });
  return { saveTemplate, setReminderMinutes, setDefaultChannel, setWhatsAppSettings };
}
