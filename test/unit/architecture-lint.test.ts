/**
 * The architecture's rooms (ARCHITECTURE.md §2) are enforced by ESLint. These tests lint small snippets
 * as if they lived at given paths and assert the rules fire — so a config change that silently drops a
 * rule fails here.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIdsFor(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('architecture lint rules', () => {
  it('no page file is over 300 lines (split it by concern); a test file may be', async () => {
    const lines = (n: number) =>
      Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
    expect(await ruleIdsFor(lines(300), 'src/pages/admin/Probe.ts')).toEqual([]);
    expect(await ruleIdsFor(lines(301), 'src/pages/admin/Probe.ts')).toContain('max-lines');
    expect(await ruleIdsFor(lines(301), 'src/pages/Probe.tsx')).toContain('max-lines');
    expect(await ruleIdsFor(lines(301), 'src/pages/Probe.test.tsx')).not.toContain('max-lines');
  });

  it.each([
    [
      "import { createClient } from '@supabase/supabase-js';\nexport const c = createClient;\n",
      'supabase-js',
    ],
    ["import { useState } from 'react';\nexport const s = useState;\n", 'react'],
    ["import pino from 'pino';\nexport const p = pino;\n", 'pino'],
    [
      "import type { QueueRepository } from '../repositories/QueueRepository';\nexport type R = QueueRepository;\n",
      'a repository',
    ],
    [
      "import { x } from '../../appointment/models/WorkingHours';\nexport const y = x;\n",
      "another module's model",
    ],
  ])('a domain model may not import %#: %s', async (code) => {
    expect(await ruleIdsFor(code, 'src/services/queue/models/Probe.ts')).toContain('no-restricted-imports');
  });

  it.each([
    ['export const t = Date.now();\n'],
    ['export const t = new Date();\n'],
    ['export const r = Math.random();\n'],
    ['export const id = crypto.randomUUID();\n'],
    ["export const f = () => fetch('/x');\n"],
  ])('a domain model may not read the clock, randomness or network: %s', async (code) => {
    const ids = await ruleIdsFor(code, 'src/services/queue/models/Probe.ts');
    expect(ids.some((id) => id === 'no-restricted-syntax' || id === 'no-restricted-globals')).toBe(true);
  });

  it('a domain model may import other models, shared values and another module api', async () => {
    const code =
      "import { ok } from '../../shared/Result';\nimport type { ClinicSettings } from '../../clinic/api';\nimport { z } from 'zod';\nexport const v = [ok, z];\nexport type S = ClinicSettings;\n";
    expect(await ruleIdsFor(code, 'src/services/queue/models/Probe.ts')).toEqual([]);
  });

  it.each([
    ["import { createClient } from '@supabase/supabase-js';\nexport const c = createClient;\n"],
    [
      "import { SupabaseQueueRepository } from '../services/queue/repositories/SupabaseQueueRepository';\nexport const r = SupabaseQueueRepository;\n",
    ],
  ])('a component may not talk to the backend directly: %s', async (code) => {
    expect(await ruleIdsFor(code, 'src/components/Probe.tsx')).toContain('no-restricted-imports');
    expect(await ruleIdsFor(code, 'src/pages/Probe.tsx')).toContain('no-restricted-imports');
  });

  it("a service may not reach into another module's internals", async () => {
    const code =
      "import { WorkingHours } from '../appointment/models/WorkingHours';\nexport const w = WorkingHours;\n";
    expect(await ruleIdsFor(code, 'src/services/queue/QueueService.ts')).toContain('no-restricted-imports');
  });

  it.each([
    ["import { createClient } from '@supabase/supabase-js';\nexport const c = createClient;\n"],
    [
      "import { SupabaseClinicRepository } from '../services/clinic/repositories/SupabaseClinicRepository';\nexport const r = SupabaseClinicRepository;\n",
    ],
    ["import { useBackend } from './ui/backend';\nexport const b = useBackend;\n"],
    [
      "import { createClient } from '@supabase/supabase-js';\nexport const c = createClient;\n// in a hooks file\n",
    ],
    [
      "declare const client: { from(t: string): { select(c: string): unknown } };\nexport const phones = () => client.from('patients').select('id,phone');\n",
    ],
    [
      "declare const backend: { rpc(n: string): unknown };\nexport const r = () => backend.rpc('kiosk_check_in');\n",
    ],
    [
      "declare const backend: { select(t: string, c: string): unknown };\nexport const r = () => backend.select('patients', 'id,phone');\n",
    ],
  ])('a hook may not reach the backend but through a service: %s', async (code) => {
    const ids = await ruleIdsFor(code, 'src/hooks/useProbe.ts');
    expect(
      ids.some((id) => id === '@typescript-eslint/no-restricted-imports' || id === 'no-restricted-syntax'),
    ).toBe(true);
  });

  it('a hook may use the services and the DTO types of a repository port', async () => {
    const code =
      "import type { Member } from '../services/clinic/repositories/ClinicRepository';\nimport { useServices } from './ServicesContext';\nexport const u = useServices;\nexport const ids = Array.from([1]);\nexport type M = Member;\n";
    expect(await ruleIdsFor(code, 'src/hooks/useProbe.ts')).toEqual([]);
  });

  it.each([
    ["import { useBackend } from '../hooks/ui/backend';\nexport const b = useBackend;\n"],
    ["import { useLightBackend } from '../hooks/light/lightBackend';\nexport const b = useLightBackend;\n"],
    ["import { RealtimeClient } from '@supabase/realtime-js';\nexport const r = RealtimeClient;\n"],
    [
      "import type { ClinicRepository } from '../services/clinic/repositories/ClinicRepository';\nexport type R = ClinicRepository;\n",
    ],
    [
      "import { SupabaseNotificationAdminRepository } from '../services/notification/repositories/SupabaseNotificationAdminRepository';\nexport const r = SupabaseNotificationAdminRepository;\n",
    ],
  ])(
    'a page or component may not use a gateway, supabase-js, a repository or the composition: %s',
    async (code) => {
      expect(await ruleIdsFor(code, 'src/pages/Probe.tsx')).toContain('no-restricted-imports');
      expect(await ruleIdsFor(code, 'src/pages/admin/Probe.tsx')).toContain('no-restricted-imports');
      expect(await ruleIdsFor(code, 'src/components/Probe.tsx')).toContain('no-restricted-imports');
    },
  );

  it.each([
    [
      "declare const client: { from(t: string): unknown };\nconst table = 'patients';\nexport const r = () => client.from(table);\n",
    ],
    [
      "declare const client: { rpc(n: string): unknown };\nconst fn = 'x';\nexport const r = () => client.rpc(fn);\n",
    ],
    ["import { useLightBackend } from './light/lightBackend';\nexport const b = useLightBackend;\n"],
  ])(
    'a hook may not touch a table or RPC, whatever the argument, nor the light gateway: %s',
    async (code) => {
      const ids = await ruleIdsFor(code, 'src/hooks/useProbe.ts');
      expect(
        ids.some((id) => id === '@typescript-eslint/no-restricted-imports' || id === 'no-restricted-syntax'),
      ).toBe(true);
    },
  );

  it('a page or component may not wire services itself (only tests, their own composition roots, may)', async () => {
    const code =
      "import { appServices } from '../services/composition/browserApp';\nexport const s = appServices;\n";
    expect(await ruleIdsFor(code, 'src/pages/Probe.tsx')).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
    expect(await ruleIdsFor(code, 'src/components/Probe.tsx')).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
    expect(await ruleIdsFor(code, 'src/pages/Probe.test.tsx')).toEqual([]);
  });

  it('a page may call hooks and use a module api', async () => {
    const code =
      "import { useMembers } from '../hooks/useStaffService';\nimport { messageCost } from '../services/notification/api';\nexport const u = [useMembers, messageCost];\n";
    expect(await ruleIdsFor(code, 'src/pages/Probe.tsx')).toEqual([]);
  });
});
