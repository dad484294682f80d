/**
 * Unused code fails CI (ci25ln, issue 14): in TypeScript files tsc reports unused locals, parameters, imports and
 * private members (tsconfig.json noUnusedLocals/noUnusedParameters, `npm run typecheck`), and ESLint keeps only what
 * tsc does not report — an unused catch binding and an unused property beside a `...rest` — in the local rule
 * `local/unused-beyond-tsc`; .js/.mjs files keep @typescript-eslint/no-unused-vars. @typescript-eslint/no-unused-vars
 * did all of it before (≈ 12 % of ESLint's CPU). These tests fail if either half is dropped.
 */
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function lint(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? ''} ${m.message}`);
}

/** tsc's diagnostics for one in-memory file under tsconfig.json's options (without lib files: only its own codes). */
function tscCodes(code: string): string[] {
  const config = ts.readConfigFile('tsconfig.json', (p) => ts.sys.readFile(p));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, process.cwd());
  const file = `${process.cwd()}/src/__unusedProbe.ts`;
  const host = ts.createCompilerHost({ ...options, noLib: true, types: [] });
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (p) => (p === file ? code : readFile(p));
  host.fileExists = (p) => p === file || ts.sys.fileExists(p);
  host.getSourceFile = (p, v, ...rest) =>
    p === file ? ts.createSourceFile(p, code, v) : getSourceFile(p, v, ...rest);
  const program = ts.createProgram([file], { ...options, noLib: true, types: [] }, host);
  return program
    .getSemanticDiagnostics(program.getSourceFile(file))
    .filter((d) => d.code === 6133 || d.code === 6138 || d.code === 6192 || d.code === 6196)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('unused code fails CI', () => {
  it('npm run typecheck runs tsc with tsconfig.json, whose unused checks are on', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['typecheck']).toBe('tsc -p tsconfig.json --noEmit');
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
