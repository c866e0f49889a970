import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, request } from 'undici';

/**
 * Fetching a URL a client gave us (a picture address) without letting it reach what only the server
 * can reach: loopback, private, link-local and cloud-metadata addresses are refused, after DNS
 * resolution and on every redirect, unless the operator allows private addresses. The connection
 * goes to the address that was checked (no second lookup to race against).
 */

const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** Whether an address is one a client-given URL may not reach. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1]) return BLOCKED.check(mapped[1], 'ipv4');
    return BLOCKED.check(address, 'ipv6');
  }
  return true;
}

export class FetchRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchRefused';
  }
}

export interface SafeFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Let URLs reach private and loopback addresses (a closed network, tests). */
  allowPrivate: boolean;
  maxRedirects?: number;
}

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 4);
    const list = addresses as dns.LookupAddress[];
    const allowed = list.find((a) => !isBlockedAddress(a.address));
    if (!allowed || list.some((a) => isBlockedAddress(a.address))) {
      return callback(new FetchRefused(`${hostname} resolves to a private or reserved address`), '', 4);
    }
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, [allowed]);
    } else {
      callback(null, allowed.address, allowed.family);
    }
  });
};

const guardedAgent = new Agent({ connect: { lookup: guardedLookup } });
const openAgent = new Agent();

/** GETs `url` and returns its body, refusing what `options` forbid; throws `FetchRefused` with the reason. */
export async function safeFetch(url: string, options: SafeFetchOptions): Promise<Buffer> {
  let current = url;
  for (let hop = 0; hop <= (options.maxRedirects ?? 3); hop++) {
    let parsed: URL;
    try {
      parsed = new URL(current);
    } catch {
      throw new FetchRefused('not a valid URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new FetchRefused('only http and https URLs');
    if (parsed.username || parsed.password) throw new FetchRefused('URLs with credentials are not fetched');
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowPrivate && isIP(host) && isBlockedAddress(host)) {
      throw new FetchRefused('the URL points to a private or reserved address');
    }
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(parsed, {
        method: 'GET',
        dispatcher: options.allowPrivate ? openAgent : guardedAgent,
        signal: AbortSignal.timeout(options.timeoutMs),
        headers: { accept: 'image/*' },
      });
    } catch (err) {
      if (err instanceof FetchRefused) throw err;
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof FetchRefused) throw cause;
      const name = (err as Error).name;
      throw new FetchRefused(
        name === 'TimeoutError' || name === 'AbortError'
          ? `no answer within ${options.timeoutMs} ms`
          : `cannot fetch it (${(err as Error).message})`,
      );
    }
    if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
      await res.body.dump();
      current = new URL(String(res.headers.location), parsed).toString();
      continue;
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new FetchRefused(`it answered HTTP ${res.statusCode}`);
    }
    const declared = Number(res.headers['content-length'] ?? 0);
    if (declared > options.maxBytes) {
      await res.body.dump();
      throw new FetchRefused(`larger than ${options.maxBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxBytes) {
        res.body.destroy();
        throw new FetchRefused(`larger than ${options.maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }
  throw new FetchRefused('too many redirects');
}
