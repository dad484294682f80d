/**
 * Clinic API keys (admin screen, REST /v1): the list, create (the secret comes back once, in the
 * mutation's result — it is not kept in the query cache) and revoke. Keys from `apiKeyKeys`.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateApiKeyInput } from '../services/clinic/ApiKeyService';
import type { ApiKeyInfo, CreatedApiKey } from '../services/clinic/repositories/ApiKeyRepository';
import type { AppServices } from '../services/composition/AppServices';
import { unwrap, type AppErrorException } from './AppErrorException';
import { clinicKeys } from './queryKeys';
import { useServices } from './ServicesContext';

export type { ApiKeyInfo, CreatedApiKey };

export const apiKeyKeys = {
  list: (clinicId: string) => [...clinicKeys.clinic(clinicId), 'api-keys'] as const,
};

export const apiKeysQuery = (services: AppServices, clinicId: string) =>
  queryOptions<readonly ApiKeyInfo[], AppErrorException>({
    queryKey: apiKeyKeys.list(clinicId),
    queryFn: async () => unwrap(await (await services.apiKeys()).list(clinicId)),
  });

export function useApiKeys(clinicId: string) {
  const services = useServices();
  const { apiKeys } = services;
  const qc = useQueryClient();
  const list = useQuery(apiKeysQuery(services, clinicId));
  const invalidate = () => void qc.invalidateQueries({ queryKey: apiKeyKeys.list(clinicId) });
  const create = useMutation<CreatedApiKey, AppErrorException, Omit<CreateApiKeyInput, 'clinicId'>>({
    mutationFn: async (input) => unwrap(await (await apiKeys()).create({ ...input, clinicId })),
    onSettled: invalidate,
  });
  const revoke = useMutation<void, AppErrorException, string>({
    mutationFn: async (keyId) => unwrap(await (await apiKeys()).revoke(keyId)),
    onSettled: invalidate,
  });
  return { list, create, revoke };
}
