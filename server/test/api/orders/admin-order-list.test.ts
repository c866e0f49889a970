import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../harness.js';
import { ADDRESS } from './alibaba-fixtures.js';
import { expectCode, startTaobaoServer, type TaobaoOrder, type TaobaoServer } from './taobao-fixtures.js';

/** An order as `GET /admin/orders` answers it (the fields the tests read). */
interface AdminOrder {
  orderId: string;
  platform: 'taobao' | '1688';
  developId: string;
  userId: string;
  createState: string;
  status: string;
  platformStatus: string;
  payState: string;
  currency: string;
  goods: number;
  shipping: number;
  adjust: number;
  total: number;
  paid: number;
  refunded: number;
  lineCount: number;
  firstLineTitle: string | null;
  firstLineTitleTrans: string | null;
  firstLinePicture: string | null;
  upstreamOrderIds: string[];
  sellerOrderNumber: string | null;
  orderSource: string | null;
  closeReason: string | null;
  version: number;
  createTime: number;
  updateTime: number;
  payTime: number | null;
  closeTime: number | null;
}

interface Page {
  list: AdminOrder[];
  total: number;
}

/** T14's answer, with the fields of it the operator's row repeats. */
type Detail = TaobaoOrder & { createTime: number; updateTime: number };
type DetailLine = TaobaoOrder['subPurchaseOrders'][number]['orderLines'][number] & { itemImageUrl: string };

/** A 1688 offer the tests can buy, found as a developer would: search (A3), then details (A1). */
async function alibabaOffer(t: TaobaoServer): Promise<{ offerId: string; specId: string; quantity: number }> {
  const search = await t.post<{ data: { offerId: number; sellerOpenId: string | null }[] }>(
    t.dev,
    '/alibaba/product/keywords/query',
    { pageSize: 50 },
  );
  expect(search.body.code, search.text).toBe(200);
  for (const hit of search.body.data.data) {
    if (!hit.sellerOpenId) continue;
    const d = await t.post<{
      status: string;
      minOrderQuantity: number;
      productSkuInfos: { specId: string; amountOnSale: number }[];
    }>(t.dev, '/alibaba/product/detail/get', { offerId: String(hit.offerId) });
    const sku = d.body.data.productSkuInfos.find((s) => s.amountOnSale >= d.body.data.minOrderQuantity * 4);
    if (d.body.data.status === 'published' && sku) {
      return { offerId: String(hit.offerId), specId: sku.specId, quantity: d.body.data.minOrderQuantity };
    }
  }
  throw new Error('no 1688 offer to buy');
}

describe('GET /admin/orders', () => {
  let t: TaobaoServer;
  /** The orders placed, oldest first: Taobao A (dev, two sellers), B (sub, paid), C (other); 1688 D (other, paid), E (dev). */
  let a: Detail;
  let b: TaobaoOrder;
  let c: TaobaoOrder;
  let d: string;
  let e: string;
  let firstLineOfA: DetailLine;

  beforeAll(async () => {
    t = await startTaobaoServer();
    const [x, y] = t.skus;
    if (!x || !y) throw new Error('two SKUs needed');
    const offer = await alibabaOffer(t);
    const alibabaOrder = async (who: Credentials) => {
      const r = await t.post<{ orderId: string }>(who, '/alibaba/order/create', {
        flow: 'general',
        addressParam: ADDRESS,
        cargoParamList: [offer],
      });
      expect(r.body.code, r.text).toBe(200);
      return r.body.data.orderId;
    };
    const step = () => t.clock.advance(1_000);
    const placedA = await t.order(t.dev, [x, y], { sellerOrderNumber: 'SO-A' });
    step();
    b = await t.order(t.sub, [x]);
    step();
    c = await t.order(t.other, [y]);
    step();
    d = await alibabaOrder(t.other);
    step();
    e = await alibabaOrder(t.dev);

    await t.topUp(t.dev.developId, b.totalPrice);
    const paidB = await t.post(t.sub, '/open/order/pay', { orderId: b.orderId });
    expect(paidB.body.code, paidB.text).toBe(200);
    await t.topUp(t.other.developId, 10_000_000);
    const paidD = await t.get(t.other, `/alibaba/order/pay/url?orderId=${d}`);
    expect(paidD.body.code, paidD.text).toBe(200);
    a = (await t.detail(t.dev, placedA.orderId, 'vi')) as Detail;
    const line = a.subPurchaseOrders[0]?.orderLines[0];
    if (!line) throw new Error('order A has no line');
    firstLineOfA = line as DetailLine;
  });
  afterAll(() => t.close());

  const page = async (query = '') => {
    const r = await t.server.request<Page>('GET', `/admin/orders${query}`, {
      headers: { authorization: `Bearer ${t.server.deps.adminToken}`, 'accept-language': 'vi' },
    });
    expect(r.body.code, r.text).toBe(200);
    return r.body.data;
  };
  const ids = (p: Page) => p.list.map((o) => o.orderId);

  it('lists the orders of every developer on both platforms, newest first, as the operator sees them', async () => {
    const all = await page();
    expect(all.total).toBe(5);
    expect(ids(all)).toEqual([e, d, c.orderId, b.orderId, a.orderId]);
    const rowA = all.list.find((o) => o.orderId === a.orderId);
    expect(rowA).toEqual({
      orderId: a.orderId,
      platform: 'taobao',
      developId: t.dev.developId,
      userId: t.dev.userId,
      createState: 'created',
      status: 'wait_buyer_pay',
      platformStatus: 'WAIT_BUYER_PAY',
      payState: 'unpaid',
      currency: 'CNY',
      goods: a.productFee,
      shipping: a.postFee,
      adjust: a.adjustFee,
      total: a.totalPrice,
      paid: 0,
      refunded: 0,
      lineCount: 2,
      firstLineTitle: firstLineOfA.itemTitle,
      firstLineTitleTrans: firstLineOfA.itemTitleTrans,
      firstLinePicture: firstLineOfA.itemImageUrl,
      upstreamOrderIds: a.subPurchaseOrders.map((p) => p.purchaseOrderOuterId),
      sellerOrderNumber: 'SO-A',
      orderSource: null,
      closeReason: null,
      version: a.version,
      createTime: a.createTime,
      updateTime: a.updateTime,
      payTime: null,
      closeTime: null,
    });
    expect(firstLineOfA.itemTitleTrans).not.toBe(firstLineOfA.itemTitle);
    expect(rowA?.upstreamOrderIds).toHaveLength(2);

    const rowB = all.list.find((o) => o.orderId === b.orderId);
    expect(rowB).toMatchObject({ userId: t.sub.userId, status: 'wait_seller_send', payState: 'paid' });
    expect(rowB?.paid).toBe(b.totalPrice);
    expect(rowB?.payTime).toBe(t.clock.now());
    const rowD = all.list.find((o) => o.orderId === d);
    expect(rowD).toMatchObject({
      platform: '1688',
      developId: t.other.developId,
      status: 'wait_seller_send',
      platformStatus: 'waitsellersend',
      payState: 'paid',
      lineCount: 1,
    });
    expect(rowD?.paid).toBe(rowD?.total);
    expect(rowD?.total).toBeGreaterThan(0);
    expect(rowD?.upstreamOrderIds).toHaveLength(1);
    expect(all.list.find((o) => o.orderId === e)).toMatchObject({ platform: '1688', status: 'wait_buyer_pay' });
  });

  it('filters by platform, neutral or platform status, developer and sub-account, and pages', async () => {
    expect(ids(await page('?platform=1688'))).toEqual([e, d]);
    expect(ids(await page('?platform=taobao'))).toEqual([c.orderId, b.orderId, a.orderId]);
    expect(ids(await page('?status=wait_seller_send'))).toEqual([d, b.orderId]);
    expect(ids(await page('?status=WAIT_SELLER_SEND_GOODS'))).toEqual([b.orderId]);
    expect(ids(await page('?status=waitsellersend'))).toEqual([d]);
    expect(ids(await page('?status=wait_buyer_pay'))).toEqual([e, c.orderId, a.orderId]);
    expect((await page('?status=closed')).total).toBe(0);
    expect(ids(await page(`?developId=${t.other.developId}`))).toEqual([d, c.orderId]);
    expect(ids(await page(`?developId=${t.dev.developId}&platform=taobao`))).toEqual([b.orderId, a.orderId]);
    expect(ids(await page(`?userId=${t.sub.userId}`))).toEqual([b.orderId]);
    expect(ids(await page(`?userId=${t.sibling.userId}`))).toEqual([]);

    const second = await page('?pageNo=2&pageSize=2');
    expect(second.total).toBe(5);
    expect(ids(second)).toEqual([c.orderId, b.orderId]);
    expect(ids(await page('?pageNo=3&pageSize=2'))).toEqual([a.orderId]);
  });

  it('answers 40001 naming the field for a bad filter', async () => {
    const get = (query: string) => t.server.admin('GET', `/admin/orders${query}`);
    expectCode(await get('?status=PAID'), 40001, 'status');
    expectCode(await get('?platform=amazon'), 40001, 'platform');
    expectCode(await get('?developId=abc'), 40001, 'developId');
    expectCode(await get('?userId=12x'), 40001, 'userId');
    expectCode(await get('?pageSize=51'), 40001, 'pageSize');
    expectCode(await get('?pageNo=0'), 40001, 'pageNo');
    expectCode(await get('?colour=red'), 40001, 'colour');
  });

  it('answers 40106 (HTTP 401) without the operator token, with a wrong one, or signed as a developer', async () => {
    for (const headers of [{}, { authorization: `Bearer ${'x'.repeat(32)}` }] as Record<string, string>[]) {
      const r = await t.server.request('GET', '/admin/orders', { headers });
      expectCode(r, 40106);
    }
    expectCode(await t.get(t.dev, '/admin/orders'), 40106);
  });
});
