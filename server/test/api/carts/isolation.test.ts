import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cartLinesForOrder, removeCartItems } from '../../../src/modules/carts/index.js';
import type { AuthContext } from '../../../src/platform/auth/credentials.js';
import type { ApiError } from '../../../src/platform/http/errors.js';
import type { Credentials, Reply } from '../../harness.js';
import { type CartServer, type Chosen, ok, startCartServer } from './cart-harness.js';

/**
 * docs/architecture.md §6 for carts: a cart belongs to one sub-account. Another developer's, a sibling
 * sub-account's and the main account's requests never reach its records, and answer exactly as for an
 * id that does not exist.
 */

const MISSING = '1795432287562383361';

/** The parts of an error answer that must not tell a foreign id from a missing one. */
function comparable(reply: Reply, id: string) {
  return {
    status: reply.status,
    code: reply.body.code,
    msg: reply.body.msg.replaceAll(id, '<id>'),
    data: reply.body.data,
  };
}

describe('cart isolation and the cart lines of orders', () => {
  let c: CartServer;
  let taobao: Chosen;
  let alibaba: Chosen;
  let taobaoId: string;
  let alibabaId: string;
  beforeAll(async () => {
    c = await startCartServer();
    [taobao] = (await c.taobaoPicks(1)) as [Chosen];
    [alibaba] = (await c.alibabaPicks(1)) as [Chosen];
    taobaoId = ok(
      await c.call<{ id: string }>(c.sub, 'POST', '/open/cart/add', {
        mpId: taobao.product.mpId,
        mpSkuId: taobao.sku.mpSkuId,
        quantity: 2,
      }),
    ).id;
    alibabaId = ok(
      await c.call<{ id: string }>(c.sub, 'POST', '/alibaba/cart/add', {
        offerId: alibaba.product.productId,
        specId: alibaba.sku.skuId,
        quantity: 4,
      }),
    ).id;
  });
  afterAll(() => c.close());

  /** Every cart endpoint that names records, asked about `id`. */
  const requests = (id: string): [string, unknown][] => [
    ['/open/cart/preview/order', { ids: [id] }],
    ['/open/cart/update/quantity', { id, quantity: 1 }],
    ['/open/cart/delete', { ids: [id] }],
    ['/alibaba/cart/preview/order', { cartIds: [id] }],
    ['/alibaba/cart/update/quantity', { cartId: id, quantity: 1 }],
    ['/alibaba/cart/delete', { cartIds: [id] }],
  ];

  it('answers another developer, a sibling sub-account and the main account as for a missing id', async () => {
    for (const who of [c.other, c.sibling, c.dev] as Credentials[]) {
      for (const [url, body] of requests(taobaoId)) {
        const theirs = await c.call(who, 'POST', url, body);
        const missing = await c.call(who, 'POST', url, JSON.parse(JSON.stringify(body).replace(taobaoId, MISSING)));
        expect(theirs.body.code, `${url} ${theirs.text}`).toBe(40401);
        expect(comparable(theirs, taobaoId), url).toEqual(comparable(missing, MISSING));
      }
      for (const [url, body] of requests(alibabaId)) {
        expect((await c.call(who, 'POST', url, body)).body.code, url).toBe(40401);
      }
    }
  });

  it('answers the owner 40401 for the other platform’s record', async () => {
    for (const [url, body] of requests(alibabaId).slice(0, 3)) {
      expect((await c.call(c.sub, 'POST', url, body)).body.code, url).toBe(40401);
    }
    for (const [url, body] of requests(taobaoId).slice(3)) {
      expect((await c.call(c.sub, 'POST', url, body)).body.code, url).toBe(40401);
    }
  });

  it('gives an order its lines, in the order asked, and removes them in the order’s transaction', async () => {
    const db = c.server.deps.database;
    const auth = (who: Credentials, isMainAccount = false): AuthContext => ({
      developId: who.developId,
      accessKey: who.accessKey,
      userId: who.userId,
      isMainAccount,
    });
    expect(await cartLinesForOrder(db.db, auth(c.sub), 'taobao', [taobaoId])).toEqual([
      {
        cartItemId: taobaoId,
        productId: taobao.product.productId,
        skuId: taobao.sku.skuId,
        mpId: taobao.product.mpId,
        mpSkuId: taobao.sku.mpSkuId,
        quantity: 2,
        sellerOpenId: taobao.product.shop.sellerOpenId,
      },
    ]);
    const [line] = await cartLinesForOrder(db.db, auth(c.sub), '1688', [alibabaId, alibabaId]);
    expect(line).toMatchObject({ cartItemId: alibabaId, productId: alibaba.product.productId, quantity: 4 });
    expect(line?.sellerOpenId).toBe(alibaba.product.shop.sellerOpenId);

    const refusal = (p: Promise<unknown>) => p.then(() => null).catch((e: unknown) => e as ApiError);
    for (const [who, platform, id] of [
      [c.dev, 'taobao', taobaoId],
      [c.sibling, 'taobao', taobaoId],
      [c.other, '1688', alibabaId],
      [c.sub, '1688', taobaoId],
    ] as const) {
      expect((await refusal(cartLinesForOrder(db.db, auth(who, who === c.dev), platform, [id])))?.code).toBe(40401);
    }
    const empty = await refusal(cartLinesForOrder(db.db, auth(c.sub), '1688', []));
    expect(empty?.code).toBe(40001);
    expect(empty?.message).toContain('cartIds');
    expect((await refusal(cartLinesForOrder(db.db, auth(c.sub), 'taobao', [])))?.message).toContain('ids');

    expect(await db.transaction((trx) => removeCartItems(trx, [taobaoId, alibabaId]))).toBe(2);
    expect(ok(await c.call(c.sub, 'GET', '/open/cart/list'))).toEqual({ shopList: [], invalidList: [], total: 0 });
    expect(ok(await c.call(c.sub, 'GET', '/alibaba/cart/list'))).toEqual({ enableList: [], disableList: [] });
  });
});
