import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlibabaItem,
  type AlibabaList,
  type CartServer,
  type Chosen,
  expectCode,
  ok,
  startCartServer,
} from './cart-harness.js';

interface Cargo {
  offerId: number;
  specId: string | null;
  quantity: number;
  finalUnitPrice: number;
  amount: number;
  problem: string | null;
  problemText: string | null;
}

interface Preview {
  orderPreviewResuslt: {
    sellerOpenId: string | null;
    sumPayment: number;
    sumCarriage: number;
    sumPaymentNoCarriage: number;
    discountFee: number;
    tradeModeNameList: string[];
    status: boolean;
    message: string | null;
    cargoList: Cargo[];
  }[];
  success: boolean;
  errorCode: string | null;
  errorMsg: string | null;
  postFeeByDescOfferList: string[];
  consignOfferList: string[];
  unsupportedCrossBorderPayOfferList: string[];
}

/** The documented `addressParam` (`FastAdress`) with every field. */
const ADDRESS_PARAM = {
  fullName: '张三',
  mobile: '15068763421',
  phone: '0571-88888888',
  postCode: '311100',
  cityText: '杭州市',
  provinceText: '浙江省',
  areaText: '余杭区',
  townText: '仓前街道',
  address: '文一西路 969 号',
  districtCode: '330110',
};

describe('POST /alibaba/cart/preview/order (A28)', () => {
  let c: CartServer;
  let picks: Chosen[];
  let moq: Chosen;
  const ids: string[] = [];
  beforeAll(async () => {
    c = await startCartServer();
    picks = await c.alibabaPicks(3, 5000, (p) => p.minOrderQuantity <= 3);
    [moq] = (await c.alibabaPicks(1, 5000, (p) => p.minOrderQuantity >= 5)) as [Chosen];
    for (const x of picks) {
      const r = await c.call<AlibabaItem>(c.sub, 'POST', '/alibaba/cart/add', {
        offerId: x.product.productId,
        specId: x.sku.skuId,
        quantity: 3,
      });
      ids.push(ok(r).id);
    }
  });
  afterAll(() => c.close());

  const preview = (body: unknown, who = c.sub) => c.call<Preview>(who, 'POST', '/alibaba/cart/preview/order', body);
  const cargo = (p: Preview) => p.orderPreviewResuslt.flatMap((r) => r.cargoList);

  it('answers 1688’s preview structure per supplier, at the list’s prices, with totals that add up', async () => {
    const p = ok(await preview({ cartIds: ids, addressParam: ADDRESS_PARAM }));
    expect(p).toMatchObject({
      success: true,
      errorCode: null,
      errorMsg: null,
      postFeeByDescOfferList: [],
      consignOfferList: [],
      unsupportedCrossBorderPayOfferList: [],
    });
    expect(cargo(p)).toHaveLength(3);
    const listed = ok(await c.call<AlibabaList>(c.sub, 'GET', '/alibaba/cart/list'));
    const prices = new Map(listed.enableList.flatMap((s) => s.cartItemInfos).map((i) => [i.offerId, i.price]));
    for (const x of picks) {
      const line = cargo(p).find((l) => l.offerId === Number(x.product.productId));
      expect(line).toMatchObject({ specId: x.sku.skuId, quantity: 3, problem: null });
      expect(line?.finalUnitPrice).toBe(prices.get(Number(x.product.productId)));
      expect(line?.amount).toBe(3 * (line?.finalUnitPrice ?? 0));
      const result = p.orderPreviewResuslt.find((r) => r.cargoList.includes(line as Cargo));
      expect(result?.sellerOpenId).toBe(x.product.shop.sellerOpenId);
    }
    for (const r of p.orderPreviewResuslt) {
      expect(r.status).toBe(true);
      expect(r.message).toBeNull();
      expect(r.sumPaymentNoCarriage).toBe(r.cargoList.reduce((n, l) => n + l.amount, 0));
      expect(r.sumPayment).toBe(r.sumPaymentNoCarriage + r.sumCarriage - r.discountFee);
      expect(r.sumCarriage).toBeGreaterThan(0);
    }
  });

  it('shows an offer below its minimum order quantity as a problem of its line and supplier', async () => {
    const added = ok(
      await c.call<AlibabaItem>(c.sub, 'POST', '/alibaba/cart/add', {
        offerId: moq.product.productId,
        specId: moq.sku.skuId,
        quantity: moq.product.minOrderQuantity - 1,
      }),
    );
    const p = ok(await preview({ cartIds: [ids[0], added.id], language: 'es' }));
    const line = cargo(p).find((l) => l.offerId === Number(moq.product.productId));
    expect(line).toMatchObject({
      problem: 'below_min_quantity',
      problemText: 'Por debajo de la cantidad mínima de pedido',
    });
    const result = p.orderPreviewResuslt.find((r) => r.cargoList.includes(line as Cargo));
    expect(result).toMatchObject({ status: false, message: 'Por debajo de la cantidad mínima de pedido' });
    expect(p).toMatchObject({ success: false, errorCode: 'below_min_quantity' });
    // Raised to the minimum, it can be ordered.
    await c.call(c.sub, 'POST', '/alibaba/cart/update/quantity', {
      cartId: added.id,
      quantity: moq.product.minOrderQuantity,
    });
    expect(ok(await preview({ cartIds: [added.id] })).success).toBe(true);
  });

  it('answers 40401 for an item that is not the caller’s or a Taobao record, 40001 without cartIds', async () => {
    expectCode(await preview({ cartIds: [ids[0]] }, c.sibling), 40401);
    expectCode(await preview({ cartIds: [ids[0]] }, c.other), 40401);
    expectCode(await preview({ cartIds: [ids[0]] }, c.dev), 40401);
    const tb = (await c.taobaoPicks(1))[0] as Chosen;
    const record = ok(
      await c.call<{ id: string }>(c.sub, 'POST', '/open/cart/add', { mpId: tb.product.mpId, mpSkuId: tb.sku.mpSkuId }),
    );
    expectCode(await preview({ cartIds: [record.id] }), 40401);
    expectCode(await c.call(c.sub, 'POST', '/open/cart/preview/order', { ids: [ids[0]] }), 40401);
    expectCode(await preview({ addressParam: ADDRESS_PARAM }), 40001, 'cartIds');
  });

  it('accepts the documented body as-is: its unknown ids answer 40401, never 40001', async () => {
    const r = await preview({ addressParam: ADDRESS_PARAM, cartIds: [1, 2] });
    expectCode(r, 40401);
  });
});
