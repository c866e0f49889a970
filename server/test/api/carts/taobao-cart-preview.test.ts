import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CartServer,
  type Chosen,
  expectCode,
  ORDER_ADDRESS,
  ok,
  startCartServer,
  type TaobaoItem,
} from './cart-harness.js';

interface Line {
  id: string;
  itemId: number;
  skuId: string;
  itemTitle: string;
  itemTitleTrans: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  skuQuantity: number;
  problem: string | null;
  problemText: string | null;
}

interface Preview {
  groups: {
    shopId: number;
    shopName: string;
    shopNameTrans: string;
    lines: Line[];
    goodsAmount: number;
    shippingFee: number;
    totalAmount: number;
    canOrder: boolean;
  }[];
  goodsAmount: number;
  shippingFee: number;
  totalAmount: number;
  canOrder: boolean;
}

describe('POST /open/cart/preview/order (T27)', () => {
  let c: CartServer;
  let picks: Chosen[];
  const ids: string[] = [];
  beforeAll(async () => {
    c = await startCartServer();
    picks = await c.taobaoPicks(4, 100);
    for (const p of picks) {
      const r = await c.call<TaobaoItem>(c.sub, 'POST', '/open/cart/add', {
        mpId: p.product.mpId,
        mpSkuId: p.sku.mpSkuId,
        quantity: 2,
      });
      ids.push(ok(r).id);
    }
  });
  afterAll(() => c.close());

  const preview = (body: unknown, who = c.sub) => c.call<Preview>(who, 'POST', '/open/cart/preview/order', body);
  const lines = (p: Preview) => p.groups.flatMap((g) => g.lines);

  it('prices the records at today’s promotion price, per seller, with totals that add up', async () => {
    const p = ok(await preview({ ids, orderAddress: ORDER_ADDRESS, language: 'vi' }));
    expect(
      lines(p)
        .map((l) => l.id)
        .sort(),
    ).toEqual([...ids].sort());
    for (const [i, { product, sku }] of picks.entries()) {
      const line = lines(p).find((l) => l.id === ids[i]);
      expect(line).toMatchObject({
        itemId: Number(product.productId),
        skuId: sku.skuId,
        quantity: 2,
        unitPrice: sku.promotionPriceFen,
        amount: 2 * sku.promotionPriceFen,
        itemTitle: product.title.zh,
        itemTitleTrans: product.title.vi,
        problem: null,
        problemText: null,
      });
      const group = p.groups.find((g) => g.lines.includes(line as Line));
      expect(group?.shopId).toBe(Number(product.shop.shopId));
    }
    for (const g of p.groups) {
      expect(g.goodsAmount).toBe(g.lines.reduce((n, l) => n + l.amount, 0));
      expect(g.totalAmount).toBe(g.goodsAmount + g.shippingFee);
      expect(g.canOrder).toBe(true);
    }
    expect(p.totalAmount).toBe(p.goodsAmount + p.shippingFee);
    expect(p.goodsAmount).toBe(lines(p).reduce((n, l) => n + l.amount, 0));
    expect(p.canOrder).toBe(true);
    const market = await c.server.deps.market.taobao.previewOrder({
      lines: picks.map((x) => ({ productId: x.product.productId, skuId: x.sku.skuId, quantity: 2 })),
      address: { receiver: '', phone: '', province: '', city: '', district: '', address: '' },
      buyerId: c.sub.userId,
    });
    expect(p.totalAmount).toBe(market.totalFen);
  });

  it('reports lines that cannot be ordered, which count in no amount', async () => {
    await c.server.admin('POST', `/sandbox/taobao/goods/${picks[0]?.product.productId}/delist`);
    await c.setStock('taobao', picks[1]?.product.productId ?? '', 1, picks[1]?.sku.skuId);
    const p = ok(await preview({ ids: ids.slice(0, 3), language: 'en' }));
    const byId = new Map(lines(p).map((l) => [l.id, l]));
    expect(byId.get(ids[0] as string)).toMatchObject({ problem: 'delisted', problemText: 'The product is delisted' });
    expect(byId.get(ids[1] as string)).toMatchObject({ problem: 'out_of_stock', problemText: 'Out of stock' });
    expect(byId.get(ids[2] as string)?.problem).toBeNull();
    expect(p.canOrder).toBe(false);
    expect(p.goodsAmount).toBe(byId.get(ids[2] as string)?.amount);
    expect(p.totalAmount).toBe(p.goodsAmount + p.shippingFee);
  });

  it('answers 40401 for a record that is not the caller’s, 40001 for an empty list', async () => {
    expectCode(await preview({ ids: [ids[3]] }, c.sibling), 40401);
    expectCode(await preview({ ids: [ids[3]] }, c.dev), 40401);
    expectCode(await preview({ ids: [ids[3]] }, c.other), 40401);
    expectCode(await preview({ ids: [] }), 40001, 'ids');
    expectCode(await preview({ ids: [ids[3]], orderAddress: { street: 'x' } }), 40001, 'orderAddress.street');
  });

  it('accepts the documented create-order body (T26) as-is: its unknown ids answer 40401', async () => {
    const r = await preview({ ids: [75, 76], orderAddress: ORDER_ADDRESS, userId: '2100007340000' });
    expectCode(r, 40401);
    expect(r.body.msg).toContain('75');
  });
});
