/**
 * Where a v1 endpoint lives on v2 (PandaPon's v2 pages, docs/adr/0019): Taobao under `/v2/taobao/...`
 * (`/open/product/get` → `/v2/taobao/product/get`), 1688 under `/v2/alibaba/...`, the common endpoints under
 * `/v2/open/...`. Ponte's own endpoints (balance, sub-accounts, messages) have no v2 twin: they carry no ids of
 * goods or orders, and v1 serves every client.
 */
const PREFIXES: [v1: string, v2: string][] = [
  ['/open/product/', '/v2/taobao/product/'],
  ['/open/order/', '/v2/taobao/order/'],
  ['/open/cart/', '/v2/taobao/cart/'],
  ['/alibaba/', '/v2/alibaba/'],
  ['/open/address/', '/v2/open/address/'],
  ['/open/pp/', '/v2/open/pp/'],
];

/** Endpoints whose v2 page shows another method: the v1 query's fields are then the v2 body's. */
const METHODS: Record<string, 'POST'> = {
  // "Taobao order paging query" is a POST on v2 (v1: GET with a query).
  '/open/order/page': 'POST',
};

export interface V2Place {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
}

/** The v2 path and method of a v1 endpoint, or null when it has no v2 twin. */
export function v2PlaceOf(method: V2Place['method'], url: string): V2Place | null {
  if (url === '/open/order') return { url: '/v2/taobao/order', method };
  for (const [v1, v2] of PREFIXES) {
    if (url.startsWith(v1)) return { url: v2 + url.slice(v1.length), method: METHODS[url] ?? method };
  }
  return null;
}
