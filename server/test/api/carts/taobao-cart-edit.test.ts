import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CartServer,
  type Chosen,
  expectCode,
  ok,
  startCartServer,
  type TaobaoItem,
  type TaobaoList,
} from './cart-harness.js';

describe('POST /open/cart/update/quantity (T31) and /open/cart/delete (T29)', () => {
  let c: CartServer;
  let picks: Chosen[];
  beforeAll(async () => {
    c = await startCartServer();
    picks = await c.taobaoPicks(5, 50);
  });
  afterAll(() => c.close());

  const pick = (i: number) => picks[i] as Chosen;
  const add = async (i: number, quantity = 1) =>
    ok(
      await c.call<TaobaoItem>(c.sub, 'POST', '/open/cart/add', {
        mpId: pick(i).product.mpId,
        mpSkuId: pick(i).sku.mpSkuId,
        quantity,
      }),
    );
  const update = (body: unknown) => c.call<TaobaoItem>(c.sub, 'POST', '/open/cart/update/quantity', body);
  const remove = (body: unknown) => c.call<{ ids: string[] }>(c.sub, 'POST', '/open/cart/delete', body);
  const listed = async () => {
    const l = ok(await c.call<TaobaoList>(c.sub, 'GET', '/open/cart/list'));
    return [...l.shopList.flatMap((s) => s.items), ...l.invalidList].map((x) => x.id).sort();
  };

  it('sets a record’s quantity, taking the id as a string or a JSON number', async () => {
    const item = await add(0, 2);
    const updated = ok(await update({ id: item.id, quantity: 7, language: 'zh' }));
    expect(updated).toMatchObject({ id: item.id, quantity: 7, promotionPrice: pick(0).sku.promotionPriceFen });
    const raw = `{"id":${item.id},"quantity":9}`;
    const r = await c.server.signed<TaobaoItem>(c.sub, 'POST', '/open/cart/update/quantity', { rawBody: raw });
    expect(ok(r).quantity).toBe(9);
    expect(ok(r).id).toBe(item.id);
  });

  it('answers 42202 above today’s stock, 40001 outside 1..9999, 40401 for a record that is not the caller’s', async () => {
    const item = await add(1);
    expectCode(await update({ id: item.id, quantity: 51 }), 42202);
    expectCode(await update({ id: item.id, quantity: 0 }), 40001, 'quantity');
    expectCode(await update({ id: item.id, quantity: 10000 }), 40001, 'quantity');
    expectCode(await update({ id: item.id }), 40001, 'quantity');
    expectCode(await update({ id: 'x1', quantity: 1 }), 40001, 'id');
    expectCode(await update({ id: '1795432287562383360', quantity: 1 }), 40401);
    const sibling = await c.call(c.sibling, 'POST', '/open/cart/update/quantity', { id: item.id, quantity: 2 });
    expectCode(sibling, 40401);
    const main = await c.call(c.dev, 'POST', '/open/cart/update/quantity', { id: item.id, quantity: 2 });
    expectCode(main, 40401);
    expect(ok(await update({ id: item.id, quantity: 50 })).quantity).toBe(50);
  });

  it('answers 40401 when the record’s product was delisted', async () => {
    const item = await add(2);
    await c.server.admin('POST', `/sandbox/taobao/goods/${pick(2).product.productId}/delist`);
    expectCode(await update({ id: item.id, quantity: 2 }), 40401);
  });

  it('deletes records, all or none', async () => {
    const a = await add(3);
    const b = await add(4);
    const before = await listed();
    expect(before).toContain(a.id);
    const refused = await remove({ ids: [a.id, '1795432287562383360'] });
    expectCode(refused, 40401);
    expect(refused.body.msg).toContain('1795432287562383360');
    expect(await listed()).toEqual(before);
    // Ids as JSON numbers (beyond 2^53: read digit for digit) or strings, one given twice.
    const raw = `{"ids":[${a.id},"${b.id}",${a.id}]}`;
    const done = ok(await c.server.signed<{ ids: string[] }>(c.sub, 'POST', '/open/cart/delete', { rawBody: raw }));
    expect(done.ids.sort()).toEqual([a.id, b.id].sort());
    expect(await listed()).toEqual(before.filter((id) => id !== a.id && id !== b.id));
    expectCode(await remove({ ids: [a.id] }), 40401);
  });

  it('answers 40001 for an empty or malformed id list', async () => {
    expectCode(await remove({ ids: [] }), 40001, 'ids');
    expectCode(await remove({}), 40001, 'ids');
    expectCode(await remove({ ids: ['abc'] }), 40001, 'ids[0]');
  });
});
