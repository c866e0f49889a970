import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectCode,
  RECEIVER,
  startTaobaoServer,
  T7_EXAMPLE,
  type TaobaoOrder,
  type TaobaoServer,
} from './taobao-fixtures.js';

describe('POST /open/order (T7)', () => {
  let t: TaobaoServer;
  beforeAll(async () => {
    t = await startTaobaoServer();
  });
  afterAll(() => t.close());

  const list = async (query = '') => {
    const r = await t.get<{ total: number; list: TaobaoOrder[] }>(t.dev, `/open/order/page?pageSize=50${query}`);
    expect(r.body.code, r.text).toBe(200);
    return r.body.data;
  };

  it('creates one sub purchase order per seller, with the lines, amounts and receiver', async () => {
    const [a, b] = t.skus;
    if (!a || !b) throw new Error('two SKUs needed');
    const r = await t.create(
      t.sub,
      [
        { sku: a, quantity: 2 },
        { sku: b, quantity: 1 },
      ],
      { sellerOrderNumber: 'LZ-1001', orderSource: 'lazada', purchaseAmount: 10_000_000, language: 'vi' },
    );
    expect(r.body.code, r.text).toBe(200);
    const o = r.body.data;
    expect(o).toMatchObject({
      userId: t.sub.userId,
      status: 'WAIT_BUYER_PAY',
      payStatus: 'UNPAID',
      paidAmount: 0,
      purchaseAmount: 10_000_000,
      sellerOrderNumber: 'LZ-1001',
      orderSource: 'lazada',
      language: 'vi',
      receiver: RECEIVER,
      version: expect.any(Number),
    });
    expect(o.subPurchaseOrders).toHaveLength(2);
    const lines = o.subPurchaseOrders.flatMap((p) => p.orderLines);
    expect(lines.map((l) => [l.itemId, l.skuId, l.quantity, l.orderLineNo]).sort()).toEqual(
      [
        [a.itemId, a.skuId, 2, '1'],
        [b.itemId, b.skuId, 1, '2'],
      ].sort(),
    );
    for (const part of o.subPurchaseOrders) {
      expect(part.status).toBe('WAIT_BUYER_PAY');
      expect(part.purchaseOrderOuterId).toMatch(/\S/);
      expect(part.supplierNick).toMatch(/[\u4e00-\u9fff]/);
      for (const line of part.orderLines) {
        expect(line.itemTitle).toMatch(/[\u4e00-\u9fff]/);
        expect(line.itemTitleTrans).not.toBe(line.itemTitle);
        expect(line.totalPrice).toBe(line.price * line.quantity);
      }
    }
    expect(o.productFee).toBe(lines.reduce((n, l) => n + l.totalPrice, 0));
    expect(o.totalPrice).toBe(o.productFee + o.postFee + o.adjustFee);
    expect(o.totalPrice).toBe(o.subPurchaseOrders.reduce((n, p) => n + p.totalPrice, 0));
  });

  it('accepts lines and receiver as JSON strings, with numbers as numeric strings', async () => {
    const [a] = t.skus;
    if (!a) throw new Error('a SKU needed');
    const r = await t.post<TaobaoOrder>(t.dev, '/open/order', {
      orderLineList: JSON.stringify([
        {
          itemId: a.itemId,
          skuId: a.skuId,
          quantity: '3',
          price: String(a.priceFen),
          currency: 'CNY',
          orderLineNo: '7',
        },
      ]),
      receiver: JSON.stringify(RECEIVER),
      purchaseAmount: '50000000',
    });
    expect(r.body.code, r.text).toBe(200);
    const line = r.body.data.subPurchaseOrders[0]?.orderLines[0];
    expect(line).toMatchObject({ itemId: a.itemId, quantity: 3, orderLineNo: '7' });
    expect(r.body.data.purchaseAmount).toBe(50_000_000);
  });

  it('answers the documented example as published with 40401 (its items are unknown), never 40001', async () => {
    const r = await t.post(t.dev, '/open/order', T7_EXAMPLE);
    expectCode(r, 40401);
    expect(r.body.msg).toContain('600126245031041190');
  });

  it('refuses a total above purchaseAmount with 42203 and creates nothing', async () => {
    const [a] = t.skus;
    if (!a) throw new Error('a SKU needed');
    await t.topUp(t.dev.developId, 1_000);
    const before = await list();
    const balance = await t.balance(t.dev);
    const r = await t.create(t.dev, [{ sku: a, quantity: 2 }], { purchaseAmount: 2 * a.priceFen - 1 });
    expectCode(r, 42203);
    const after = await list();
    expect(after.total).toBe(before.total);
    expect(after.list.map((o) => o.orderId)).toEqual(before.list.map((o) => o.orderId));
    expect(await t.balance(t.dev)).toBe(balance);
  });

  it('answers 40001 naming the field for every missing or malformed part', async () => {
    const [a] = t.skus;
    if (!a) throw new Error('a SKU needed');
    const line = { itemId: a.itemId, skuId: a.skuId, quantity: 1 };
    const cases: [Record<string, unknown>, string][] = [
      [{ orderLineList: [line] }, 'receiver'],
      [{ receiver: RECEIVER }, 'orderLineList'],
      [{ orderLineList: [], receiver: RECEIVER }, 'orderLineList'],
      [{ orderLineList: [line, { ...line, quantity: 0 }], receiver: RECEIVER }, 'orderLineList[1].quantity'],
      [{ orderLineList: [line, { ...line, quantity: 'two' }], receiver: RECEIVER }, 'orderLineList[1].quantity'],
      [{ orderLineList: [{ ...line, itemId: 'abc' }], receiver: RECEIVER }, 'orderLineList[0].itemId'],
      [{ orderLineList: [{ ...line, currency: 'USD' }], receiver: RECEIVER }, 'orderLineList[0].currency'],
      [{ orderLineList: [{ ...line, colour: 'red' }], receiver: RECEIVER }, 'orderLineList[0].colour'],
      [{ orderLineList: '[{"itemId":', receiver: RECEIVER }, 'orderLineList'],
      [{ orderLineList: [line], receiver: { ...RECEIVER, name: '' } }, 'receiver.name'],
      [{ orderLineList: [line], receiver: { ...RECEIVER, name: null } }, 'receiver.name'],
      [{ orderLineList: [line], receiver: { ...RECEIVER, state: '  ' } }, 'receiver.state'],
      [{ orderLineList: [line], receiver: { ...RECEIVER, city: undefined } }, 'receiver.city'],
      [{ orderLineList: [line], receiver: { ...RECEIVER, address: '' } }, 'receiver.address'],
      [{ orderLineList: [line], receiver: RECEIVER, addressId: '1' }, 'addressId'],
      [{ orderLineList: [line], receiver: RECEIVER, purchaseAmount: -1 }, 'purchaseAmount'],
    ];
    const before = (await list()).total;
    for (const [body, field] of cases) {
      const r = await t.post(t.dev, '/open/order', body);
      expectCode(r, 40001, field);
    }
    expect((await list()).total).toBe(before);
  });

  it('answers 40401 for an unknown SKU of a known item, and 42202 beyond the stock', async () => {
    const [a] = t.skus;
    if (!a) throw new Error('a SKU needed');
    const unknownSku = await t.create(t.dev, [{ sku: { ...a, skuId: '999999999999' } }]);
    expectCode(unknownSku, 40401);
    const tooMany = await t.create(t.dev, [{ sku: a, quantity: 1_000_000 }]);
    expectCode(tooMany, 42202);
  });

  it('answers the same order to a retry with the same Idempotency-Key', async () => {
    const [, b] = t.skus;
    if (!b) throw new Error('a SKU needed');
    const key = `t7-retry-${Date.now()}`;
    const before = (await list()).total;
    const one = await t.post<TaobaoOrder>(
      t.dev,
      '/open/order',
      { orderLineList: [{ itemId: b.itemId, skuId: b.skuId, quantity: 1 }], receiver: RECEIVER },
      { 'idempotency-key': key },
    );
    const two = await t.post<TaobaoOrder>(
      t.dev,
      '/open/order',
      { orderLineList: [{ itemId: b.itemId, skuId: b.skuId, quantity: 1 }], receiver: RECEIVER },
      { 'idempotency-key': key },
    );
    expect(one.body.code, one.text).toBe(200);
    expect(two.body.data.orderId).toBe(one.body.data.orderId);
    expect((await list()).total).toBe(before + 1);
  });

  it('takes the receiver from a saved address (addressId), the sub-account’s own only', async () => {
    const [a] = t.skus;
    if (!a) throw new Error('a SKU needed');
    const saved = await t.post<{ id: string }>(t.sub, '/open/address/addOrUpdate', {
      name: '李四',
      province: '浙江省',
      city: '杭州市',
      district: '余杭区',
      address: '文一西路 969 号',
      phone: '15068763421',
      zip: '311100',
    });
    expect(saved.body.code, saved.text).toBe(200);
    const lines = [{ itemId: a.itemId, skuId: a.skuId, quantity: 1 }];
    const r = await t.post<TaobaoOrder>(t.sub, '/open/order', { orderLineList: lines, addressId: saved.body.data.id });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.receiver).toMatchObject({
      name: '李四',
      state: '浙江省',
      city: '杭州市',
      district: '余杭区',
      address: '文一西路 969 号',
      zip: '311100',
    });
    for (const who of [t.sibling, t.dev, t.other]) {
      const foreign = await t.post(who, '/open/order', { orderLineList: lines, addressId: saved.body.data.id });
      expectCode(foreign, 40401);
    }
  });
});
