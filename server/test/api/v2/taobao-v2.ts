import { expect } from 'vitest';
import type { OpaqueKind } from '../../../src/platform/crypto/opaque-ids.js';
import type { Credentials, TestServer } from '../../harness.js';
import type { Sku, TaobaoOrder } from '../orders/taobao-fixtures.js';

/** What an opaque id looks like on v2. */
export const OPAQUE = /^[A-Za-z0-9_-]{22,}$/;

/** The same opaque id with one character changed: no longer one this deployment made. */
export function tampered(id: string): string {
  const i = Math.floor(id.length / 2);
  return id.slice(0, i) + (id[i] === 'A' ? 'B' : 'A') + id.slice(i + 1);
}

/** A v2 Taobao order line: the v1 line with its goods and line ids opaque. */
export type V2Line = TaobaoOrder['subPurchaseOrders'][number]['orderLines'][number] & {
  mpId: string | null;
  mpSkuId: string | null;
};

/** Checks `id` is an opaque id of `kind`, and answers the v1 id it names. */
export function v1Of(server: TestServer, kind: OpaqueKind, id: unknown): string {
  expect(id).toMatch(OPAQUE);
  const v1 = server.deps.opaqueIds.decode(kind, id as string);
  expect(v1, `${String(id)} is not an opaque ${kind} id`).not.toBeNull();
  expect(v1).not.toBe(id);
  return v1 as string;
}

/**
 * What v2 answers for an order v1 answers as `order`: the same, with the order's, its parts', its lines' and its
 * goods' ids opaque (the marketplace's ids, shop ids and user ids as they are).
 */
export function asV2Order(server: TestServer, order: TaobaoOrder): TaobaoOrder {
  const ids = server.deps.opaqueIds;
  const opaque = (kind: OpaqueKind, id: string | null) => (id === null ? null : ids.encode(kind, id));
  return {
    ...order,
    orderId: ids.encode('order', order.orderId),
    subPurchaseOrders: order.subPurchaseOrders.map((part) => ({
      ...part,
      subPurchaseOrderId: ids.encode('order-part', part.subPurchaseOrderId),
      orderLines: part.orderLines.map((l) => {
        const line = l as V2Line;
        return {
          ...line,
          purchaseOrderLineId: ids.encode('order-line', line.purchaseOrderLineId),
          itemId: ids.encode('taobao-item', line.itemId),
          skuId: opaque('taobao-sku', line.skuId),
          mpId: opaque('taobao-mp', line.mpId),
          mpSkuId: opaque('taobao-mp-sku', line.mpSkuId),
        };
      }),
    })),
  };
}

/** A SKU as a v2 client knows it: every id as the v2 goods endpoints give it. */
export interface V2Sku {
  itemId: string;
  skuId: string;
  mpId: string;
  mpSkuId: string;
}

/**
 * Finds `sku` as a v2 client does: in the v2 search (the fixtures' SKUs come from its first page), then in the v2
 * details of the item, by the opaque ids they answer.
 */
export async function findOnV2(server: TestServer, who: Credentials, sku: Sku): Promise<V2Sku> {
  const ids = server.deps.opaqueIds;
  const search = await server.signed<{ list: { itemId: string; mpId: string | null }[] }>(
    who,
    'POST',
    '/v2/taobao/product/item/search',
    { body: { keyword: '', pageSize: 40, pageNo: 1 } },
  );
  expect(search.body.code, search.text).toBe(200);
  const hit = search.body.data.list.find((h) => ids.decode('taobao-item', h.itemId) === sku.itemId);
  if (!hit) throw new Error(`item ${sku.itemId} not on the v2 search's first page`);
  const product = await server.signed<{
    itemId: string;
    mpId: string;
    skuList: { skuId: string; mpSkuId: string | null }[];
  }>(who, 'GET', `/v2/taobao/product/get?itemId=${hit.itemId}`);
  expect(product.body.code, product.text).toBe(200);
  const found = product.body.data.skuList.find((s) => ids.decode('taobao-sku', s.skuId) === sku.skuId);
  if (!found?.mpSkuId) throw new Error(`SKU ${sku.skuId} not in the v2 details`);
  const v2 = { itemId: hit.itemId, skuId: found.skuId, mpId: product.body.data.mpId, mpSkuId: found.mpSkuId };
  for (const id of Object.values(v2)) expect(id).toMatch(OPAQUE);
  return v2;
}
