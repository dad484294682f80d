/**
 * Webhooks (admin screen, API tab): endpoints and the delivery log, create (the signing secret comes back once,
 * in the mutation's result — not kept in the query cache), switch off/on, delete, resend. Keys from
 * `webhookKeys`. The service is loaded on first use (`services.webhooks()`), so no other screen carries it.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateWebhookInput } from '../services/clinic/WebhookService';
import { WEBHOOK_EVENT_TYPES } from '../services/clinic/WebhookService';
import type {
  CreatedWebhookEndpoint,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
} from '../services/clinic/repositories/WebhookRepository';
import type { AppServices } from '../services/composition/AppServices';
import { unwrap, type AppErrorException } from './AppErrorException';
import { clinicKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export { WEBHOOK_EVENT_TYPES };
export type { CreatedWebhookEndpoint, WebhookDelivery, WebhookEndpoint, WebhookEventType };

export const webhookKeys = {
  all: (clinicId: string) => [...clinicKeys.clinic(clinicId), 'webhooks'] as const,
  endpoints: (clinicId: string) => [...webhookKeys.all(clinicId), 'endpoints'] as const,
  deliveries: (clinicId: string) => [...webhookKeys.all(clinicId), 'deliveries'] as const,
};

export const webhookEndpointsQuery = (services: AppServices, clinicId: string) =>
  queryOptions<readonly WebhookEndpoint[], AppErrorException>({
    queryKey: webhookKeys.endpoints(clinicId),
    queryFn: async () => unwrap(await (await services.webhooks()).listEndpoints(clinicId)),
  });

export const webhookDeliveriesQuery = (services: AppServices, clinicId: string) =>
  queryOptions<readonly WebhookDelivery[], AppErrorException>({
    queryKey: webhookKeys.deliveries(clinicId),
    queryFn: async () => unwrap(await (await services.webhooks()).listDeliveries(clinicId)),
  });

export function useWebhooks(clinicId: string) {
  const services = useServices();
  const qc = useQueryClient();
  const endpoints = useQuery(webhookEndpointsQuery(services, clinicId));
  const deliveries = useQuery(webhookDeliveriesQuery(services, clinicId));
  const invalidate = () => void qc.invalidateQueries({ queryKey: webhookKeys.all(clinicId) });
  const create = useMutation<CreatedWebhookEndpoint, AppErrorException, Omit<CreateWebhookInput, 'clinicId'>>(
    {
      mutationFn: async (input) => unwrap(await (await services.webhooks()).create({ ...input, clinicId })),
      onSettled: invalidate,
    },
  );
  const setEnabled = useMutation<void, AppErrorException, { id: string; enabled: boolean }>({
    mutationFn: async ({ id, enabled }) => unwrap(await (await services.webhooks()).setEnabled(id, enabled)),
    onSettled: invalidate,
  });
  const remove = useMutation<void, AppErrorException, string>({
    mutationFn: async (id) => unwrap(await (await services.webhooks()).remove(id)),
    onSettled: invalidate,
  });
  const resend = useMutation<void, AppErrorException, string>({
    mutationFn: async (id) => unwrap(await (await services.webhooks()).resend(id)),
    onSettled: invalidate,
  });
  return { endpoints, deliveries, create, setEnabled, remove, resend };
}
