/**
 * A PGlite in memory that starts from a data-folder tarball (the tests' migrated template, issue 14) without
 * PGlite's own `loadDataDir` loader. That loader untars in JavaScript, then for each of the ~1,250 entries looks up
 * every parent folder, copies the file into a growing MEMFS node and sets its times: ~0.5 CPU-s per open of the
 * 44 MB template, paid by every db/stack test file. Here the tarball's headers are parsed (ustar: what PGlite's
 * `dumpDataDir` writes) and each file handed to MEMFS as a view of its bytes (`canOwn`: no copy). Bytes of this
 * open's own are then written in place; bytes on a SharedArrayBuffer (one read per process, shared by every open and
 * worker thread: test/fixtures/dbTemplate.ts) are never written — a file moves into memory of its own before its
 * first write (copyOnWrite below).
 *
 * The files go into PGlite's data folder before PGlite looks for it, so PGlite finds a database and resumes it
 * (the same start as a persisted folder), instead of running initdb.
 */
import { MemoryFS, type PGlite } from '@electric-sql/pglite';

/** PGlite's data folder inside its virtual file system (PGDATA; `show data_directory` answers it). */
export const PGLITE_PGDATA = '/pglite/data';

export interface TarEntry {
  /** Path below the data folder, without a leading or trailing slash. */
  path: string;
  kind: 'file' | 'dir';
  data: Uint8Array;
  /** The entry's blocks in the tarball (header and data, padded): [start, end) byte offsets into `buf`. */
  start: number;
  end: number;
}

const text = (buf: Uint8Array, at: number, length: number): string => {
  let end = at;
  while (end < at + length && buf[end] !== 0) end++;
  return new TextDecoder().decode(buf.subarray(at, end));
};

const octal = (buf: Uint8Array, at: number, length: number): number => {
  const s = text(buf, at, length).trim();
  const n = s === '' ? 0 : parseInt(s, 8);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`tarball: bad number "${s}" at byte ${at}`);
  return n;
};

/**
 * The entries of a ustar tarball, as views of `buf` (no copy). Only regular files and folders — what a data
 * folder holds; anything else (links, GNU long names, pax headers) is refused rather than guessed at.
 */
export const parseTar = (buf: Uint8Array): TarEntry[] => {
  const entries: TarEntry[] = [];
  let at = 0;
  while (at + 512 <= buf.length && buf[at] !== 0) {
    const name = text(buf, at, 100);
    const prefix = text(buf, at + 345, 155);
    const size = octal(buf, at + 124, 12);
    const type = buf[at + 156] ?? 0;
    const full = (prefix === '' ? name : `${prefix}/${name}`).replace(/^\/+|\/+$/g, '');
    const start = at;
    at += 512;
    if (at + size > buf.length) throw new Error(`tarball: ${full} runs past the end`);
    if (full.split('/').some((part) => part === '..')) throw new Error(`tarball: ${full} leaves the folder`);
    const end = Math.min(at + Math.ceil(size / 512) * 512, buf.length);
    if (type === 0x35) entries.push({ path: full, kind: 'dir', data: new Uint8Array(0), start, end });
    else if (type === 0x30 || type === 0)
      entries.push({ path: full, kind: 'file', data: buf.subarray(at, at + size), start, end });
    else throw new Error(`tarball: ${full} has type '${String.fromCharCode(type)}' (only files and folders)`);
    at = end;
  }
  return entries;
};

/** What a file's node holds in Emscripten's MEMFS: its bytes (`contents`, room for more) and how many are used. */
interface MemfsNode {
  contents: Uint8Array | null;
  usedBytes: number;
  stream_ops: MemfsStreamOps;
}
/** A stream of an open file: the node it reads and writes. */
interface MemfsStream {
  node: MemfsNode;
}
type MemfsStreamOps = Record<string, unknown> & {
  write(stream: MemfsStream, ...rest: unknown[]): number;
  msync?(stream: MemfsStream, ...rest: unknown[]): number;
};

interface EmscriptenFs {
  analyzePath(path: string): { exists: boolean };
  mkdirTree(path: string, mode?: number): void;
  writeFile(path: string, data: Uint8Array, options: { mode: number; canOwn: boolean }): void;
  lookupPath(path: string): { node: MemfsNode };
}

/**
 * The bytes of `node` in an array of its own, if they are still a view of the shared tarball `shared`. Only the
 * bytes up to the last one that is not zero are copied: the rest of the new array is zero already, and the kernel
 * gives those pages only when they are written — a WAL segment is 16 MB, of which a template uses the start.
 */
export const ownBytes = (
  node: Pick<MemfsNode, 'contents' | 'usedBytes'>,
  shared: SharedArrayBuffer,
): void => {
  const c = node.contents;
  if (c === null || c.buffer !== shared) return;
  const used = c.subarray(0, node.usedBytes);
  let end = used.length;
  while (end % 4 !== 0 && end > 0 && used[end - 1] === 0) end--;
  // four bytes at a time where the view allows it (a tarball's file data starts on a 512-byte block)
  if (end % 4 === 0 && used.byteOffset % 4 === 0) {
    const words = new Uint32Array(used.buffer, used.byteOffset, end / 4);
    let w = words.length;
    while (w > 0 && words[w - 1] === 0) w--;
    end = w * 4;
  }
  while (end > 0 && used[end - 1] === 0) end--;
  const own = new Uint8Array(used.length);
  own.set(used.subarray(0, end));
  node.contents = own;
};

/**
 * Stream operations for a file whose bytes are a view of a shared tarball: the same as MEMFS's, but a write (or an
 * msync of a mapping, which MEMFS writes back without going through `write`) first moves the file into an array of
 * its own. So the shared bytes are never written, and every database opened from them sees only its own writes.
 */
const copyOnWrite = (base: MemfsStreamOps, shared: SharedArrayBuffer): MemfsStreamOps => ({
  ...base,
  write(stream, ...rest) {
    ownBytes(stream.node, shared);
    return base.write(stream, ...rest);
  },
  ...(base.msync
    ? {
        msync(stream: MemfsStream, ...rest: unknown[]) {
          ownBytes(stream.node, shared);
          return base.msync!(stream, ...rest);
        },
      }
    : {}),
});

/** PGlite's in-memory file system, with the data folder filled from `tarball` before PGlite looks at it. */
export class TemplateMemoryFS extends MemoryFS {
  readonly #tarball: Blob | Uint8Array;

  /**
   * `tarball`: a Blob (read into a buffer of this open's own); bytes this open takes over — the database then
   * writes into them, so the caller hands each open a fresh copy; or bytes on a SharedArrayBuffer, which are never
   * written: every file is a view of them until its first write copies it (copy on write, s32). Shared bytes serve
   * every open of a process and its threads from one read of the tarball (pgliteTemplateBytes): a fresh read per
   * open put 47 MB into new memory each time, ≈ 0.16 CPU-s of the ≈ 0.6 an open costs. Bytes skip Node's Blob
   * reader, which gathers a 63 MB template in chunks: ~0.25 CPU-s per open (ci21).
   */
  constructor(tarball: Blob | Uint8Array) {
    super();
    this.#tarball = tarball;
  }

  override async initialSyncFs(): Promise<void> {
    await super.initialSyncFs();
    const FS = (this.pg as unknown as { Module: { FS: EmscriptenFs } } | undefined)?.Module.FS;
    if (!FS) throw new Error('TemplateMemoryFS: PGlite has no file system yet');
    if (FS.analyzePath(`${PGLITE_PGDATA}/PG_VERSION`).exists)
      throw new Error('TemplateMemoryFS: the data folder is not empty');
    // a buffer of this open's own, whose views the database writes into; or the shared one, copied on write
    const t = this.#tarball;
    const buf =
      t instanceof Uint8Array
        ? new Uint8Array(t.buffer, t.byteOffset, t.byteLength)
        : new Uint8Array(await t.arrayBuffer());
    FS.mkdirTree(PGLITE_PGDATA, 0o700);
    const made = new Set<string>([PGLITE_PGDATA]);
    const folder = (path: string) => {
      if (made.has(path)) return;
      FS.mkdirTree(path, 0o700);
      made.add(path);
    };
    const shared = buf.buffer instanceof SharedArrayBuffer ? buf.buffer : null;
    let cow: MemfsStreamOps | undefined;
    for (const e of parseTar(buf)) {
      const path = `${PGLITE_PGDATA}/${e.path}`;
      if (e.kind === 'dir') folder(path);
      else {
        folder(path.slice(0, path.lastIndexOf('/')));
        FS.writeFile(path, e.data, { mode: 0o600, canOwn: true });
        if (shared) {
          const node = FS.lookupPath(path).node;
          cow ??= copyOnWrite(node.stream_ops, shared);
          node.stream_ops = cow;
        }
      }
    }
    if (!FS.analyzePath(`${PGLITE_PGDATA}/PG_VERSION`).exists)
      throw new Error('TemplateMemoryFS: the tarball holds no data folder (no PG_VERSION)');
  }
}

/** The PGlite the caller got from a TemplateMemoryFS really runs on the folder it filled. */
export const checkTemplateDataDir = async (pg: Pick<PGlite, 'query'>): Promise<void> => {
  const r = await pg.query<{ data_directory: string }>('show data_directory');
  const dir = r.rows[0]?.data_directory;
  if (dir !== PGLITE_PGDATA)
    throw new Error(`PGlite runs on ${String(dir)}, not on the template's folder ${PGLITE_PGDATA}`);
};
