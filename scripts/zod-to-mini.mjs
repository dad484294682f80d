// `node scripts/zod-to-mini.mjs <file.ts> ...`: rewrites classic-zod method chains in the given files into
// zod/mini's functional form, in place (then run `npx prettier --write` on them). Session 15 (size15b, issue
// 14) moved the browser's schemas (src/) to zod/mini with it — classic zod is ≈ 25 KiB gzipped on every
// signed-in screen, zod/mini's same checks ≈ 12. Use it at merge time on lines a branch added in classic
// style. The API (supabase/functions/api) and scripts/mcpServer.ts stay classic (`.meta()` for OpenAPI) and
// build on the services' mini schemas; both kinds share zod/v4/core, so they nest and `z.toJSONSchema` reads
// both.
//
// It is type-driven: only calls whose receiver's type is a classic zod schema (declared under node_modules/zod)
// are rewritten, so `'x'.trim()` or `Math.min` are left alone. The mapping keeps every check and message:
//   .optional() .nullable() .nullish() .array()   → z.optional(s) z.nullable(s) z.nullish(s) z.array(s)
//   .default(v) .catch(v)                         → z._default(s, v) z.catch(s, v)
//   .transform(f) .pipe(t)                        → z.pipe(s, z.transform(f)) z.pipe(s, t)
//   .extend(x) .partial() .omit(m) .pick(m)       → z.extend(s, x) z.partial(s) z.omit(s, m) z.pick(s, m)
//   z.object(x).strict()                          → z.strictObject(x)
//   string .min/.max/.length                      → .check(z.minLength / z.maxLength / z.length)
//   number/int .min/.max/.gt/.lt/.gte/.lte        → .check(z.gte / z.lte / z.gt / z.lt / …)
//   .nonnegative() .positive() .negative()        → .check(z.gte(0)) .check(z.gt(0)) .check(z.lt(0))
//   .int() .finite()                              → .check(z.int()), dropped (v4: a no-op)
//   .trim() .toLowerCase() .toUpperCase() .regex(r) .startsWith(x) .endsWith(x) .includes(x)
//   .email() .uuid() .url() .refine(f, p) .superRefine(f)  → .check(z.<same>(…)); consecutive checks merge
// Anything it cannot map is printed as `UNMAPPED file:line` and left as it was (the type checker then says so).
// Type names: z.ZodType → z.ZodMiniType, z.ZodError stays core's (z.core.$ZodError). Imports in src/ become
// `from '<relative>/shared/zod'`. By hand afterwards: a transform's `ctx.addIssue(i)` → `ctx.issues.push({ ...i,
// input: v })` (mini's transform has no addIssue), and a classic caller that chains on a service schema
// (supabase/functions/api, scripts/mcpServer.ts) uses z.optional(s) / zm.omit(s, …) / `.register(z.globalRegistry, …)`.
import ts from 'typescript';
import { writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const files = process.argv.slice(2).map((f) => resolve(f));
if (!files.length) {
  console.error('usage: node scripts/zod-to-mini.mjs <file.ts> ...');
  process.exit(2);
}
const configPath = ts.findConfigFile(process.cwd(), ts.sys.fileExists, 'tsconfig.json');
const config = ts.parseJsonConfigFileContent(
  ts.readConfigFile(configPath, ts.sys.readFile).config,
  ts.sys,
  process.cwd(),
);
const program = ts.createProgram({
  rootNames: [...new Set([...config.fileNames, ...files])],
  options: config.options,
});
const checker = program.getTypeChecker();

const isClassicZod = (node) => {
  const type = checker.getTypeAtLocation(node);
  const sym = type.getSymbol() ?? type.aliasSymbol;
  if (!sym || !sym.getName().startsWith('Zod')) return null;
  const decl = sym.getDeclarations()?.[0];
  if (!decl || !/node_modules\/zod\/(v4\/)?classic\//.test(decl.getSourceFile().fileName)) return null;
  return sym.getName(); // ZodString, ZodNumber, ZodObject, …
};

const WRAP = { optional: 'optional', nullable: 'nullable', nullish: 'nullish', array: 'array' };
const WRAP_ARG = {
  default: '_default',
  catch: 'catch',
  pipe: 'pipe',
  extend: 'extend',
  omit: 'omit',
  pick: 'pick',
  partial: 'partial',
  required: 'required',
  safeExtend: 'safeExtend',
};
const SAME_CHECK = [
  'trim',
  'toLowerCase',
  'toUpperCase',
  'regex',
  'startsWith',
  'endsWith',
  'includes',
  'email',
  'uuid',
  'url',
  'refine',
  'superRefine',
  'normalize',
  'lowercase',
  'uppercase',
];
const NUM = { min: 'gte', max: 'lte', gte: 'gte', lte: 'lte', gt: 'gt', lt: 'lt', multipleOf: 'multipleOf' };
const LEN = { min: 'minLength', max: 'maxLength', length: 'length' };
const SIGN = {
  nonnegative: ['gte', '0'],
  positive: ['gt', '0'],
  negative: ['lt', '0'],
  nonpositive: ['lte', '0'],
};

const unmapped = [];

function rewriteFile(sf) {
  const text = sf.text;
  let changed = false;

  /** A check call's z.<fn>(args) or null; `recvType` is the receiver's classic type name. */
  const checkOf = (method, recvType, args) => {
    if (SAME_CHECK.includes(method)) return `z.${method}(${args})`;
    if (method === 'int') return `z.int(${args})`;
    if (SIGN[method]) return `z.${SIGN[method][0]}(${SIGN[method][1]}${args ? `, ${args}` : ''})`;
    if (/Number|Int|Float/.test(recvType) && NUM[method]) return `z.${NUM[method]}(${args})`;
    if (/String|Array|Set|Email|UUID|URL/.test(recvType) && LEN[method]) return `z.${LEN[method]}(${args})`;
    return null;
  };

  /** Receiver expression, method name and argument texts of a rewritable classic call, or null. */
  const classicCall = (node) => {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return null;
    const recv = node.expression.expression;
    const recvType = isClassicZod(recv);
    if (!recvType) return null;
    return { recv, recvType, method: node.expression.name.text };
  };

  const args = (node) => node.arguments.map((a) => emit(a)).join(', ');

  function emit(node) {
    const c = classicCall(node);
    if (c) {
      const { recv, recvType, method } = c;
      if (method === 'finite') return ((changed = true), emit(recv));
      if (WRAP[method] && node.arguments.length === 0)
        return ((changed = true), `z.${WRAP[method]}(${emit(recv)})`);
      if (WRAP_ARG[method]) {
        const a = args(node);
        return ((changed = true), `z.${WRAP_ARG[method]}(${emit(recv)}${a ? `, ${a}` : ''})`);
      }
      if (method === 'transform')
        return ((changed = true), `z.pipe(${emit(recv)}, z.transform(${args(node)}))`);
      if (method === 'strict') {
        // z.object(x).strict() → z.strictObject(x); z.object(x).partial().strict() → z.partial(z.strictObject(x))
        const isObj = (n) =>
          ts.isCallExpression(n) && n.expression.getText().replace(/\s/g, '') === 'z.object';
        if (isObj(recv)) return ((changed = true), `z.strictObject(${args(recv)})`);
        const inner = classicCall(recv);
        if (inner && inner.method === 'partial' && recv.arguments.length === 0 && isObj(inner.recv))
          return ((changed = true), `z.partial(z.strictObject(${args(inner.recv)}))`);
      }
      if (checkOf(method, recvType, '') !== null) {
        // gather this run of checks down the chain, innermost first
        const checks = [];
        let cur = node;
        for (;;) {
          const cc = classicCall(cur);
          const k = cc && cc.method !== 'finite' ? checkOf(cc.method, cc.recvType, args(cur)) : null;
          if (cc && cc.method === 'finite') {
            cur = cc.recv;
            continue;
          }
          if (!k) break;
          checks.unshift(k);
          cur = cc.recv;
        }
        changed = true;
        // an existing .check(…) underneath joins the run
        if (
          ts.isCallExpression(cur) &&
          ts.isPropertyAccessExpression(cur.expression) &&
          cur.expression.name.text === 'check'
        ) {
          return `${emit(cur.expression.expression)}.check(${[args(cur), ...checks].join(', ')})`;
        }
        return `${emit(cur)}.check(${checks.join(', ')})`;
      }
      if (
        ![
          'parse',
          'safeParse',
          'parseAsync',
          'safeParseAsync',
          'check',
          'register',
          'brand',
          'clone',
        ].includes(method)
      ) {
        const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
        unmapped.push(`UNMAPPED ${sf.fileName}:${line + 1} .${method}() on ${recvType}`);
      }
    }
    if (ts.isQualifiedName(node) && node.left.getText() === 'z') {
      if (node.right.text === 'ZodType') return ((changed = true), 'z.ZodMiniType');
      if (node.right.text === 'ZodError') return ((changed = true), 'z.core.$ZodError');
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      node.expression.getText() === 'z' &&
      node.name.text === 'ZodError'
    )
      return ((changed = true), 'z.core.$ZodError');
    return generic(node);
  }

  function generic(node) {
    const kids = node.getChildren(sf).filter((k) => !ts.isJSDoc(k));
    if (!kids.length) return node.getText(sf);
    let out = '';
    let pos = node.getStart(sf);
    for (const k of kids) {
      out += text.slice(pos, k.getStart(sf)) + emit(k);
      pos = k.getEnd();
    }
    return out + text.slice(pos, node.getEnd());
  }

  let out = '';
  let pos = 0;
  for (const k of sf.getChildren(sf).filter((k) => !ts.isJSDoc(k))) {
    out += text.slice(pos, k.getStart(sf)) + emit(k);
    pos = k.getEnd();
  }
  out += text.slice(pos);
  // src/ takes z from src/services/shared/zod.ts (zod/mini with classic's English messages); elsewhere zod/mini
  const shared = resolve('src/services/shared/zod');
  let to = 'zod/mini';
  if (sf.fileName.startsWith(resolve('src') + '/')) {
    to = relative(dirname(sf.fileName), shared);
    if (!to.startsWith('.')) to = `./${to}`;
  }
  out = out.replace(/from 'zod(\/mini)?';/g, `from '${to}';`);
  return changed || out !== text ? out : null;
}

for (const f of files) {
  const sf = program.getSourceFile(f);
  if (!sf) {
    console.error(`not in the program: ${f}`);
    continue;
  }
  const out = rewriteFile(sf);
  if (out !== null) {
    writeFileSync(f, out);
    console.log(`rewrote ${f}`);
  }
}
for (const u of unmapped) console.log(u);
