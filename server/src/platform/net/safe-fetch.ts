import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, request } from 'undici';

/**
 * Fetching a URL a client gave us (a picture address) without letting it reach what only the server
 * can reach: loopback, private, link-local and cloud-metadata addresses are refused, after DNS
 * resolution and on every redirect, unless the operator allows private addresses. Every address a name
 * resolves to is checked, and one refused address refuses the name. The connection goes to an address
 * that was checked (no second lookup to race against). The deadline covers the whole fetch, redirects
 * and body included.
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

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface SafeFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Let URLs reach private and loopback addresses (a closed network, tests). */
  allowPrivate: boolean;
  maxRedirects?: number;
  /** Every address a host name has; the system resolver (`dns.lookup`, all answers) unless given. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Which addresses are refused; `isBlockedAddress` unless given (tests pass a loopback fake as public). */
  isBlocked?: (address: string) => boolean;
}

type AddressRules = Pick<SafeFetchOptions, 'allowPrivate' | 'resolve' | 'isBlocked'>;

const systemResolve = (hostname: string): Promise<ResolvedAddress[]> => dns.promises.lookup(hostname, { all: true });

/**
 * Resolves `hostname` and checks every answer: one refused address refuses the host as a whole, since
 * "try the public one" would let a name that also points inside decide where we connect.
 */
async function checkedAddresses(hostname: string, options: AddressRules): Promise<ResolvedAddress[]> {
  const list = await (options.resolve ?? systemResolve)(hostname);
  if (list.length === 0) throw new FetchRefused(`${hostname} does not resolve`);
  const isBlocked = options.isBlocked ?? isBlockedAddress;
  if (!options.allowPrivate && list.some((a) => isBlocked(a.address))) {
    throw new FetchRefused(`${hostname} resolves to a private or reserved address`);
  }
  return list;
}

/** The connection's lookup: it answers only with addresses `checkedAddresses` let through. */
function guardedLookup(options: AddressRules): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    const wanted = (lookupOptions as { family?: number }).family;
    checkedAddresses(hostname, options).then(
      (list) => {
        const usable = wanted === 4 || wanted === 6 ? list.filter((a) => a.family === wanted) : list;
        const first = usable[0];
        if (!first) return callback(new FetchRefused(`${hostname} has no IPv${wanted} address`), '', 4);
        if ((lookupOptions as { all?: boolean }).all) {
          (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, usable);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
}

const guardedAgent = new Agent({ connect: { lookup: guardedLookup({ allowPrivate: false }) } });
const openAgent = new Agent();

/** The shared agents serve the usual options; a custom resolver or block rule gets an agent of its own. */
function dispatcherFor(options: SafeFetchOptions): { agent: Agent; own: boolean } {
  if (options.resolve || options.isBlocked) {
    return { agent: new Agent({ connect: { lookup: guardedLookup(options) } }), own: true };
  }
  return { agent: options.allowPrivate ? openAgent : guardedAgent, own: false };
}

/** GETs `url` and returns its body, refusing what `options` forbid; throws `FetchRefused` with the reason. */
export async function safeFetch(url: string, options: SafeFetchOptions): Promise<Buffer> {
  const { agent, own } = dispatcherFor(options);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    let current = url;
    for (let hop = 0; hop <= (options.maxRedirects ?? 3); hop++) {
      const parsed = checkedUrl(current, options);
      const res = await send(parsed, agent, signal, options);
      if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
        await res.body.dump();
        current = new URL(String(res.headers.location), parsed).toString();
        continue;
      }
      return await readBody(res, options);
    }
    throw new FetchRefused('too many redirects');
  } finally {
    if (own) await agent.destroy();
  }
}

/** Parses one hop's URL and refuses what can be refused before connecting. */
function checkedUrl(current: string, options: SafeFetchOptions): URL {
  let parsed: URL;
  try {
    parsed = new URL(current);
  } catch {
    throw new FetchRefused('not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new FetchRefused('only http and https URLs');
  if (parsed.username || parsed.password) throw new FetchRefused('URLs with credentials are not fetched');
  // A literal address never reaches the lookup, so it is checked here.
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivate && isIP(host) && (options.isBlocked ?? isBlockedAddress)(host)) {
    throw new FetchRefused('the URL points to a private or reserved address');
  }
  return parsed;
}

type Reply = Awaited<ReturnType<typeof request>>;

async function send(parsed: URL, agent: Agent, signal: AbortSignal, options: SafeFetchOptions): Promise<Reply> {
  try {
    return await request(parsed, { method: 'GET', dispatcher: agent, signal, headers: { accept: 'image/*' } });
  } catch (err) {
    throw refusal(err, options);
  }
}

async function readBody(res: Reply, options: SafeFetchOptions): Promise<Buffer> {
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
  try {
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxBytes) throw new FetchRefused(`larger than ${options.maxBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    res.body.destroy();
    throw refusal(err, options);
  }
  return Buffer.concat(chunks);
}

/** Any failure of a fetch as the `FetchRefused` that explains it. */
function refusal(err: unknown, options: SafeFetchOptions): FetchRefused {
  if (err instanceof FetchRefused) return err;
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof FetchRefused) return cause;
  const name = (err as Error).name;
  return new FetchRefused(
    name === 'TimeoutError' || name === 'AbortError'
      ? `no answer within ${options.timeoutMs} ms`
      : `cannot fetch it (${(err as Error).message})`,
  );
}

/** What a POST to a client-given URL answered. */
export interface PostReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The first `maxBytes` of the body, as UTF-8 text. */
  excerpt: string;
}

/**
 * POSTs `body` to `url` under the same address rules as `safeFetch`, following no redirect (a 3xx is answered as
 * it is), and keeps only the first `options.maxBytes` of the answer. Throws `FetchRefused` when the URL is refused,
 * the connection fails or the deadline passes.
 */
export async function safePost(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: SafeFetchOptions,
): Promise<PostReply> {
  const { agent, own } = dispatcherFor(options);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const parsed = checkedUrl(url, options);
    let res: Reply;
    try {
      res = await request(parsed, { method: 'POST', dispatcher: agent, signal, headers, body });
    } catch (err) {
      throw refusal(err, options);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size >= options.maxBytes) break;
      }
    } catch (err) {
      throw refusal(err, options);
    } finally {
      res.body.destroy();
    }
    return {
      status: res.statusCode,
      headers: res.headers,
      excerpt: Buffer.concat(chunks).subarray(0, options.maxBytes).toString('utf8'),
    };
  } finally {
    if (own) await agent.destroy();
  }
}
