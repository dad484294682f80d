/**
 * A POST to an address resolved ONCE (issue 18, DNS rebinding). `fetch(url)` resolves the host name again
 * when it connects, so a name that answered a public address to the sender's check and 127.0.0.1 a moment
 * later would reach the loopback/private network. Here the caller resolves the name, judges the addresses,
 * and this function connects to exactly the address it was given: TCP to that IP, then TLS with the URL's
 * host name as SNI and for certificate verification (Deno.startTls), `Host:` the URL's host. HTTP/1.1,
 * `Connection: close`, one request; only the status line and headers of the answer are read (a receiver's
 * answer body is ignored). Redirects are never followed (a 3xx is just a status).
 *
 * Several judged addresses (a name with A and AAAA records, or several A records): they are tried in order
 * until one accepts the connection — only the connection is retried, never a request that was written (the
 * receiver might have taken it).
 *
 * Why not fetch with Deno.createHttpClient: its options (caCerts, proxy, pool*, http1/http2, allowHost,
 * localAddress) have no resolver or "connect to this address" hook — the name is resolved again inside fetch.
 * Fetching https://<ip>/ with allowHost + a Host header would verify the certificate against the IP, not the
 * name. So the connection stays ours.
 */

/** The byte stream of one connection (a Deno.Conn or Deno.TlsConn). */
export interface Duplex {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  close(): void;
}

/** Opens the connection to `address`:`port`; `serverName` is the TLS name (null: plain TCP, http:). */
export type OpenConnection = (address: string, port: number, serverName: string | null) => Promise<Duplex>;

export const openDenoConnection: OpenConnection = async (address, port, serverName) => {
  const tcp = await Deno.connect({ hostname: address, port, transport: 'tcp' });
  if (serverName === null) return tcp;
  try {
    return await Deno.startTls(tcp, { hostname: serverName });
  } catch (e) {
    try {
      tcp.close();
    } catch {
      // already closed by the failed handshake
    }
    throw e;
  }
};

const MAX_HEAD = 16 * 1024;

export class PinnedPostError extends Error {}

/**
 * POST `body` to `url` through a connection to `address`. Answers the HTTP status. Throws PinnedPostError on
 * a malformed answer or header value, and whatever the connection throws (the caller records "network").
 */
export const pinnedPost = async (
  open: OpenConnection,
  url: URL,
  address: string | readonly string[],
  headers: Readonly<Record<string, string>>,
  body: string | Uint8Array,
  signal?: AbortSignal,
): Promise<number> => (await pinnedRequest(open, url, address, headers, body, signal)).status;

/**
 * The same POST, answering the status and the answer's headers (a push service's Retry-After); the body of the
 * answer is never read.
 */
export const pinnedRequest = async (
  open: OpenConnection,
  url: URL,
  address: string | readonly string[],
  headers: Readonly<Record<string, string>>,
  body: string | Uint8Array,
  signal?: AbortSignal,
): Promise<{ status: number; headers: Headers }> => {
  const tls = url.protocol === 'https:';
  if (!tls && url.protocol !== 'http:') throw new PinnedPostError('only http(s) URLs');
  const port = url.port ? Number(url.port) : tls ? 443 : 80;
  const payload = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const lines = [`POST ${url.pathname || '/'}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  for (const [k, v] of Object.entries(headers)) {
    // a value from the database must not be able to add a header or a second request
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v) || !/^[A-Za-z0-9-]+$/.test(k))
      throw new PinnedPostError('invalid header');
    if (/^(host|content-length|connection|transfer-encoding)$/i.test(k)) continue;
    lines.push(`${k}: ${v}`);
  }
  lines.push(`Content-Length: ${payload.byteLength}`, 'Connection: close', '', '');
  const head = new TextEncoder().encode(lines.join('\r\n'));

  const addresses = typeof address === 'string' ? [address] : address;
  if (addresses.length === 0) throw new PinnedPostError('no address');
  const serverName = tls ? url.hostname.replace(/^\[|\]$/g, '') : null;
  let conn: Duplex | null = null;
  let lastError: unknown = null;
  for (const a of addresses) {
    if (signal?.aborted) throw new PinnedPostError('aborted');
    try {
      conn = await open(a, port, serverName);
      break;
    } catch (e) {
      lastError = e; // refused / unreachable / TLS failed: the next address
    }
  }
  if (conn === null) {
    const why = lastError instanceof Error ? lastError.message : String(lastError);
    throw new PinnedPostError(
      addresses.length > 1 ? `none of the ${addresses.length} addresses answered (last: ${why})` : why,
    );
  }
  const connected = conn;
  const onAbort = () => {
    try {
      connected.close();
    } catch {
      // closed already
    }
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const writer = connected.writable.getWriter();
    const all = new Uint8Array(head.byteLength + payload.byteLength);
    all.set(head, 0);
    all.set(payload, head.byteLength);
    await writer.write(all);
    writer.releaseLock();
    const reader = connected.readable.getReader();
    let got = '';
    const decoder = new TextDecoder();
    // the status line and the header block (up to the blank line, or as much as came before the end)
    while (!got.includes('\r\n\r\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      got += decoder.decode(value, { stream: true });
      if (got.length > MAX_HEAD) break;
    }
    reader.releaseLock();
    const m = /^HTTP\/1\.[01] (\d{3})[ \r]/.exec(got);
    if (!m) throw new PinnedPostError(signal?.aborted ? 'aborted' : 'malformed HTTP answer');
    const answer = new Headers();
    const block = got.slice(0, Math.min(got.length, MAX_HEAD)).split('\r\n\r\n')[0]!;
    for (const line of block.split('\r\n').slice(1)) {
      const i = line.indexOf(':');
      if (i <= 0) continue;
      try {
        answer.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
      } catch {
        // a header name or value fetch would refuse: ignored
      }
    }
    return { status: Number(m[1]), headers: answer };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    onAbort();
  }
};
