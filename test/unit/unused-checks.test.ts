/**
 * Unused code fails CI (ci25ln, issue 14): in TypeScript files tsc reports unused locals, parameters, imports and
 * private members (tsconfig.json noUnusedLocals/noUnusedParameters, `npm run typecheck`), and ESLint keeps only what
 * tsc does not report — an unused catch binding and an unused property beside a `...rest` — in the local rule
 * `local/unused-beyond-tsc`; .js/.mjs files keep @typescript-eslint/no-unused-vars. @typescript-eslint/no-unused-vars
 * did all of it before (≈ 12 % of ESLint's CPU). These tests fail if either half is dropped.
 */
import { ESLint } from 'eslint';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });
/** The compiler `npm run typecheck` runs (package.json; TypeScript 7's native tsc). */
const TSC = 'node_modules/typescript-7/bin/tsc';

async function lint(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? ''} ${m.message}`);
}

/**
 * The unused-code diagnostics `npm run typecheck`'s compiler (TypeScript 7, package alias `typescript-7`) gives one
 * file under tsconfig.json's options: the file is written to a temporary folder with a tsconfig that extends ours
 * and lists only it (no @types: only its own codes are of interest), and the compiler's CLI is run on it.
 */
function tscCodes(code: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'qm-unused-'));
  try {
    writeFileSync(join(dir, 'probe.ts'), code);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(process.cwd(), 'tsconfig.json'),
        compilerOptions: { types: [] },
        files: ['probe.ts'],
        include: [],
      }),
    );
    const run = spawnSync(
      process.execPath,
      [TSC, '-p', join(dir, 'tsconfig.json'), '--noEmit', '--pretty', 'false'],
      { encoding: 'utf8' },
    );
    expect(run.error).toBeUndefined();
    // the compiler ran and reported on the probe (not a missing binary or a config error, which print nothing of it)
    expect(run.stdout, run.stderr).toMatch(/^\S*probe\.ts\(\d+,\d+\): error TS/m);
    return run.stdout
      .split('\n')
      .filter((l) => /^\S*probe\.ts\(\d+,\d+\): error TS(6133|6138|6192|6196):/.test(l))
      .map((l) => l.replace(/^.*?error TS\d+: /, ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('unused code fails CI', () => {
  it('npm run typecheck runs tsc with tsconfig.json, whose unused checks are on', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['typecheck']).toBe(`node ${TSC} -p tsconfig.json --noEmit`);
    const config = ts.readConfigFile('tsconfig.json', (p) => ts.sys.readFile(p));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, process.cwd());
    expect(options.noUnusedLocals).toBe(true);
    expect(options.noUnusedParameters).toBe(true);
  });

  it('tsc reports an unused local, parameter, import, private member and top-level declaration', () => {
    const code = [
      "import { ok } from './services/shared/Result';",
      'const unusedTop = 1;',
      'export function f(unusedParam: number, _kept: number): number {',
      '  const unusedLocal = 2;',
      '  return 3;',
      '}',
      'export class C {',
      '  constructor(private readonly unusedMember: number) {}',
      '}',
    ].join('\n');
    const messages = tscCodes(code).join('\n');
    for (const name of ['ok', 'unusedTop', 'unusedParam', 'unusedLocal', 'unusedMember'])
      expect(messages).toContain(`'${name}'`);
    expect(messages).not.toContain('_kept');
  });

  it('ESLint reports in a .ts file what tsc does not: a catch binding and a rest sibling', async () => {
    const code = [
      'export function f(input: { a: number; b: number }): number {',
      '  const { a, ...rest } = input;',
      '  try {',
      '    return Object.keys(rest).length;',
      '  } catch (err) {',
      '    return 0;',
      '  }',
      '}',
      'export function g({ x, ...others }: { x: number; y: number }): number {',
      '  try {',
      '    return Object.keys(others).length;',
      '  } catch (_e) {',
      '    return 1;',
      '  }',
      '}',
    ].join('\n');
    const messages = await lint(code, 'src/services/queue/Probe.ts');
    expect(messages.filter((m) => m.startsWith('local/unused-beyond-tsc'))).toEqual([
      "local/unused-beyond-tsc 'a' is defined but never used.",
      "local/unused-beyond-tsc 'err' is defined but never used.",
      "local/unused-beyond-tsc 'x' is defined but never used.",
      "local/unused-beyond-tsc '_e' is defined but never used.",
    ]);
    const clean = [
      'export function h(input: { a: number; b: number }): number {',
      '  const { a, ...rest } = input;',
      '  try {',
      '    return a + Object.keys(rest).length;',
      '  } catch {',
      '    return 0;',
      '  }',
      '}',
    ].join('\n');
    expect(await lint(clean, 'src/services/queue/Probe.ts')).toEqual([]);
  });

  it('ESLint keeps the whole no-unused-vars rule for plain JavaScript files', async () => {
    const messages = await lint('const unused = 1;\nexport const v = 2;\n', 'scripts/probe.mjs');
    expect(messages.some((m) => m.startsWith('@typescript-eslint/no-unused-vars'))).toBe(true);
  });
});
