/**
 * /functions/v1/<name>: runs supabase/functions/<name>/index.ts in real Deno, one warm process per
 * function (started on first call, restarted if it dies), with Supabase's environment variables.
 * JWT verification as on Supabase unless `[functions.<name>] verify_jwt = false` in supabase/config.toml
 * (or a `.no-verify-jwt` file in the function's folder).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { authFromToken, bearer } from '../gate.js';
import { HttpError, MAX_BODY_BYTES, readBody, send, sendJson } from '../http.js';
import type { StackKeys } from '../keys.js';
import { traceparentOf, type RequestSpan } from '../tracing.js';

const HOST_SCRIPT = fileURLToPath(new URL('./host.js', import.meta.url));
const DEFAULT_DENO = fileURLToPath(new URL('../../../node_modules/.bin/deno', import.meta.url));

export interface FunctionsOptions {
  dir: string;
  configToml?: string | undefined;
  denoPath?: string | undefined;
  env: () => Record<string, string>;
  keys: StackKeys;
  log: Logger;
}

interface Warm {
  child: ChildProcess;
  port: Promise<number>;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** `[functions.x] verify_jwt = false` from config.toml (a tiny reader: sections and booleans only). */
export function noVerifyFromToml(text: string): Set<string> {
  const out = new Set<string>();
  let section: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const s = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (s) {
      section = (s[1] ?? '').trim();
      continue;
    }
    const kv = /^\s*verify_jwt\s*=\s*false\s*(#.*)?$/.exec(line);
    const fn = section ? /^functions\.("?)([A-Za-z0-9_-]+)\1$/.exec(section) : null;
    if (kv && fn?.[2]) out.add(fn[2]);
  }
  return out;
}

export class FunctionsRuntime {
  private warm = new Map<string, Warm>();
  private stopped = false;

  constructor(private readonly opts: FunctionsOptions) {}

  private verifyJwt(name: string): boolean {
    if (existsSync(join(this.opts.dir, name, '.no-verify-jwt'))) return false;
    const toml = this.opts.configToml;
    if (toml && existsSync(toml) && noVerifyFromToml(readFileSync(toml, 'utf8')).has(name)) return false;
    return true;
  }

  private entry(name: string): string | null {
    if (!NAME.test(name)) return null;
    const file = resolve(this.opts.dir, name, 'index.ts');
    return existsSync(file) ? file : null;
  }

  private start(name: string, file: string): Warm {
    // a request that passed the check before stop() must not start a host nobody will stop
    if (this.stopped) throw new Error('functions runtime stopped');
    const deno = this.opts.denoPath ?? DEFAULT_DENO;
    const child = spawn(
      deno,
      [
        'run',
        '--quiet',
        '--no-prompt',
        '--cached-only',
        '--allow-net',
        '--allow-env',
        '--allow-read',
        HOST_SCRIPT,
        pathToFileURL(file).href,
      ],
      // its own process group (stop() ends the group), and stdin as a lifeline: host.js exits when it closes,
      // so a stack killed -9 leaves no Deno host behind (the stack tests used to leave ~12 with ppid 1)
      {
        env: { ...process.env, ...this.opts.env(), NO_COLOR: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      },
    );
    child.stdin?.on('error', () => {}); // the host may be gone already
    const log = this.opts.log.child({ fn: name });
    const port = new Promise<number>((resolvePort, reject) => {
      const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      let found = false;
      rl.on('line', (line) => {
        if (!found) {
          try {
            const v = JSON.parse(line) as { port?: number };
            if (typeof v.port === 'number') {
              found = true;
              resolvePort(v.port);
              return;
            }
          } catch {
            // an ordinary log line
          }
        }
        log.info({ out: line.slice(0, 500) }, 'function log');
      });
      child.stderr?.on('data', (d: Buffer) =>
        log.warn({ err: d.toString().slice(0, 500) }, 'function stderr'),
      );
      child.once('exit', (code) => {
        this.warm.delete(name);
        if (!found) reject(new Error(`deno exited with ${code}`));
      });
      child.once('error', (e) => {
        this.warm.delete(name);
        reject(e);
      });
    });
    port.catch(() => {});
    const w = { child, port };
    this.warm.set(name, w);
    return w;
  }

  /**
   * Starts these functions' Deno processes now instead of on their first call (unknown names are
   * ignored). A cold start compiles the function and its imports — seconds, tens of seconds on a busy
   * machine — and the first "almost your turn" of a morning used to wait that long, reaching the database
   * after the patient had been called (then rightly refused). Returns the names started.
   */
  prewarm(names: readonly string[]): string[] {
    const started: string[] = [];
    for (const name of names) {
      const file = this.entry(name);
      if (!file || this.stopped || this.warm.has(name)) continue;
      this.start(name, file);
      started.push(name);
    }
    return started;
  }

  /** Names of the functions whose Deno process is running or starting. */
  warmNames(): string[] {
    return [...this.warm.keys()].sort();
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    path: string,
    trace?: RequestSpan,
  ): Promise<void> {
    let span: Span | undefined;
    try {
      const m = /^\/([^/]+)(\/.*)?$/.exec(path);
      const name = m?.[1] ?? '';
      const file = this.entry(name);
      if (!file || this.stopped) {
        sendJson(res, 404, { code: 'NOT_FOUND', message: 'Requested function was not found' });
        return;
      }
      if (this.verifyJwt(name)) {
        const token = bearer(req);
        if (!token)
          throw new HttpError(401, {
            code: 'UNAUTHORIZED_NO_AUTH_HEADER',
            message: 'Missing authorization header',
          });
        await authFromToken(this.opts.keys, token).catch(() => {
          throw new HttpError(401, { code: 'UNAUTHORIZED_INVALID_JWT_FORMAT', message: 'Invalid JWT' });
        });
      }
      const body = ['GET', 'HEAD'].includes(req.method ?? 'GET')
        ? Buffer.alloc(0)
        : await readBody(req, MAX_BODY_BYTES);
      // the invocation's span (../tracing.ts): the function gets it as its traceparent, so the RPCs it makes
      // come back as requests of the caller's trace
      span = trace?.child(`function ${name}`, SpanKind.SERVER, { 'faas.invoked_name': name });
      const w = this.warm.get(name) ?? this.start(name, file);
      const port = await w.port;
      await this.proxy(req, res, port, `/${name}${m?.[2] ?? ''}${url.search}`, body, span);
      span?.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
    } catch (e) {
      if (e instanceof HttpError) sendJson(res, e.status, e.body, e.headers);
      else {
        this.opts.log.error(
          { err: e instanceof Error ? e.message : String(e) },
          'function invocation failed',
        );
        sendJson(res, 502, { code: 'BOOT_ERROR', message: 'Function failed to start' });
      }
      span?.setStatus({ code: SpanStatusCode.ERROR });
    } finally {
      span?.end();
    }
  }

  private proxy(
    req: IncomingMessage,
    res: ServerResponse,
    port: number,
    path: string,
    body: Buffer,
    span?: Span,
  ): Promise<void> {
    return new Promise((resolveDone) => {
      const headers = {
        ...req.headers,
        host: `127.0.0.1:${port}`,
        'content-length': String(body.length),
        ...(span ? { traceparent: traceparentOf(span) } : {}),
      };
      delete headers['transfer-encoding'];
      const up = httpRequest({ host: '127.0.0.1', port, method: req.method, path, headers }, (r) => {
        const h: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) h[k] = v;
        res.writeHead(r.statusCode ?? 502, h);
        r.pipe(res);
        r.on('end', () => resolveDone());
      });
      up.on('error', () => {
        send(res, 502, JSON.stringify({ code: 'BOOT_ERROR', message: 'Function is not reachable' }), {
          'content-type': 'application/json',
        });
        resolveDone();
      });
      up.end(body);
    });
  }

  /** Process ids of the running Deno hosts (tests check that stop() ends them). */
  pids(): number[] {
    return [...this.warm.values()].flatMap((w) => (w.child.pid === undefined ? [] : [w.child.pid]));
  }

  /** Ends every host's process group (SIGTERM, SIGKILL after 3 s) and waits until each host has exited. */
  async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.warm.values()];
    this.warm.clear();
    const signal = (w: Warm, sig: NodeJS.Signals) => {
      try {
        if (w.child.pid !== undefined) process.kill(-w.child.pid, sig);
      } catch {
        w.child.kill(sig); // the group is gone: the host alone, if still there
      }
    };
    await Promise.all(
      all.map(
        (w) =>
          new Promise<void>((r) => {
            const { pid, exitCode, signalCode } = w.child;
            if (pid === undefined || exitCode !== null || signalCode !== null) return r();
            const hard = setTimeout(() => signal(w, 'SIGKILL'), 3000);
            hard.unref();
            w.child.once('exit', () => {
              clearTimeout(hard);
              r();
            });
            w.child.stdin?.end();
            signal(w, 'SIGTERM');
          }),
      ),
    );
  }
}
