// ESLint flat config. Besides the usual TypeScript rules it enforces the architecture's rooms
// (ARCHITECTURE.md §2): pure domain models, modules that talk only through api/ or events, and UI that
// reaches the backend only through hooks. A violation fails `npm run lint` and therefore CI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const MODULES = ['queue', 'appointment', 'clinic', 'notification', 'reports'];

/** Imports that mean I/O, frameworks or runtime state: never allowed in a domain model. */
const IO_PACKAGES = [
  '@supabase/*',
  '@supabase/supabase-js',
  'react',
  'react-dom',
  'react-dom/*',
  '@tanstack/*',
  'pino',
  'mitt',
  'pg',
  '@electric-sql/*',
  'node:*',
  'fs',
  'http',
  'https',
  'net',
  'crypto',
];

/** Internals of other modules, as seen from module `self` (its api/ stays importable). */
const otherModulesInternals = (self) =>
  MODULES.filter((m) => m !== self).flatMap((m) => [
    `**/${m}/models`,
    `**/${m}/models/**`,
    `**/${m}/repositories`,
    `**/${m}/repositories/**`,
    `**/${m}/events/**`,
    `**/${m}/*Service`,
  ]);

const impureSyntax = [
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Domain models receive `now` as an argument; do not read the clock.',
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Domain models receive `now` as an argument; `new Date()` reads the clock.',
  },
  {
    selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
    message: 'Domain models are deterministic; ids and randomness come in as arguments.',
  },
  {
    selector: "CallExpression[callee.property.name='randomUUID']",
    message: 'Domain models receive ids as arguments.',
  },
  { selector: "CallExpression[callee.name='fetch']", message: 'Domain models do no I/O.' },
];

const UNUSED_OPTIONS = { argsIgnorePattern: '^_', varsIgnorePattern: '^_' };
const IGNORED = /^_/;

/**
 * What @typescript-eslint/no-unused-vars (ESLint 9 defaults: caughtErrors 'all', ignoreRestSiblings false) reports
 * and tsc's noUnusedLocals does not: an unused `catch (e)` binding and an unused property destructured beside a
 * `...rest` (tsc exempts both). Destructured names starting with `_` are ignored, as by the rule's varsIgnorePattern
 * above; a catch binding never was (the rule had no caughtErrorsIgnorePattern): `catch {` is the way to drop it.
 */
const unusedBeyondTsc = {
  meta: { type: 'problem', schema: [], messages: { unused: "'{{name}}' is defined but never used." } },
  create(context) {
    const report = (id, variable, ignored = IGNORED) => {
      if (ignored?.test(id.name) || !variable || variable.references.some((ref) => ref.isRead())) return;
      context.report({ node: id, messageId: 'unused', data: { name: id.name } });
    };
    const variableOf = (id) => {
      for (let scope = context.sourceCode.getScope(id); scope; scope = scope.upper) {
        const variable = scope.set.get(id.name);
        if (variable?.identifiers.includes(id)) return variable;
      }
      return undefined;
    };
    return {
      CatchClause(node) {
        for (const variable of node.param ? context.sourceCode.getDeclaredVariables(node) : [])
          report(variable.identifiers[0], variable, null); // no ignore pattern for caught errors, as before
      },
      // every binding of an object pattern that has a `...rest` (declarations and parameters alike)
      'ObjectPattern:has(> RestElement)'(node) {
        for (const prop of node.properties) {
          const target = prop.type === 'RestElement' ? prop.argument : prop.value;
          const id = target?.type === 'AssignmentPattern' ? target.left : target;
          if (id?.type === 'Identifier') report(id, variableOf(id));
        }
      },
    };
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-ssr/**',
      'coverage/**',
      'reports/**',
      'node_modules/**',
      '.queuemed/**',
      '.stryker-tmp/**',
      'test-results/**',
      'supabase/functions/**', // Deno code: checked by `deno check`/`deno lint` in its own suite
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', UNUSED_OPTIONS],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // TypeScript files: unused locals, parameters, imports and private members are tsc's errors (tsconfig.json
  // noUnusedLocals/noUnusedParameters, moduleDetection force; `npm run typecheck` fails CI on them), not ESLint's.
  // TIMING=1 put @typescript-eslint/no-unused-vars at 58-62 % of rule time, but dropping it saved ≈ 12 % of ESLint's
  // CPU (src/services, old vs new config alternated: 15.6 → 13.8 CPU-s; ci25ln, issue 14): TIMING charges it lazy
  // work other rules share. The two cases tsc does not report stay here, in a rule that only visits catch clauses
  // and rest patterns. Plain .js/.mjs files keep the full rule.
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    plugins: { local: { rules: { 'unused-beyond-tsc': unusedBeyondTsc } } },
    rules: {
      '@typescript-eslint/no-unused-vars': 'off',
      'local/unused-beyond-tsc': 'error',
    },
  },
  // Each module: no reaching into another module's internals.
  ...MODULES.map((m) => ({
    files: [`src/services/${m}/**/*.{ts,tsx}`],
    ignores: [`src/services/${m}/models/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: otherModulesInternals(m), message: 'Use the other module through its api/ or events.' },
          ],
        },
      ],
    },
  })),
  // Domain models: pure.
  ...[...MODULES, 'shared'].map((m) => ({
    files: [`src/services/${m}/models/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: IO_PACKAGES, message: 'Domain models are pure: no I/O, frameworks or runtime state.' },
            { group: otherModulesInternals(m), message: 'Use the other module through its api/.' },
            {
              group: [
                '**/repositories/**',
                '**/repositories',
                '**/hooks/**',
                '**/components/**',
                '**/pages/**',
                '**/*Service',
                '**/shared/Logger',
                '**/shared/EventBus',
                '**/shared/Clock',
                '**/shared/ids',
              ],
              message: 'Domain models import only other models and shared value types.',
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...impureSyntax],
      'no-restricted-globals': ['error', 'fetch', 'localStorage', 'sessionStorage', 'window', 'document'],
    },
  })),
  // UI: components and pages reach the backend only through hooks.
  {
    files: ['src/components/**/*.{ts,tsx}', 'src/pages/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@supabase/*', 'pg', '@electric-sql/*'],
              message: 'Components call hooks; they never talk to the backend directly.',
            },
            {
              group: ['**/repositories', '**/repositories/**', '**/models/**'],
              message: 'Components call hooks, not repositories or domain internals.',
            },
            {
              group: [
                '**/hooks/ui',
                '**/hooks/ui/**',
                '**/hooks/light/lightBackend',
                '**/hooks/light/lightBackend.*',
              ],
              message: 'No generic gateway: call the hook of the use case (useClinicService, useQueue …).',
            },
          ],
        },
      ],
    },
  },
  // Pages are split by concern (issue 13): no page file over 300 lines (tests excepted).
  {
    files: ['src/pages/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}'],
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }],
    },
  },
  // UI code (not its tests, which are composition roots of their own) never wires services itself.
  {
    files: ['src/components/**/*.{ts,tsx}', 'src/pages/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/services/composition', '**/services/composition/**'],
              message: 'Components get services through hooks (the composition root wires them).',
            },
          ],
        },
      ],
    },
  },
  // Hooks (the one family over the application services): no supabase-js, no adapter, no table access.
  {
    files: ['src/hooks/**/*.{ts,tsx}'],
    // the tracker's and board's light port, being replaced by their own narrow adapters (engineer perf,
    // issue 14); no other screen may use it (the UI rule above forbids importing its gateway)
    ignores: ['src/hooks/light/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@supabase/*', 'pg', '@electric-sql/*'],
              message: 'Hooks call application services; the repositories talk to Supabase.',
            },
            {
              group: ['**/repositories/Supabase*', '**/repositories/InMemory*'],
              message: 'Hooks get services from the composition root (useServices), never an adapter.',
            },
            {
              group: ['**/repositories', '**/repositories/**'],
              allowTypeImports: true,
              message: 'Hooks call services; only the DTO types of a repository port may be imported.',
            },
            {
              group: ['**/hooks/ui', '**/hooks/ui/**', './ui/**', '**/hooks/light/**', './light/**'],
              message: 'The hook family sits on the application services, not on a gateway.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(from|rpc|select|insert|upsert|update|delete|remove)$/][callee.object.name!='Array'][arguments.0.type='Literal']",
          message:
            'No generic table access from hooks (from/select/insert/rpc …): add a use case to a service.',
        },
        {
          // `.from(anything)` and `.rpc(anything)` are table/RPC access whatever the argument (Array.from is not)
          selector:
            "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(from|rpc)$/][callee.object.name!='Array']",
          message: 'No table or RPC access from hooks: add a use case to a service.',
        },
      ],
    },
  },
);
