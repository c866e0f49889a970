import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrdersServer, startOrdersServer } from './alibaba-fixtures.js';

/**
 * The requests of PandaPon's documentation for the 1688 order endpoints, as published (ids that are not
 * in the sandbox market): each is read as valid and answers "not found", never "invalid parameter".
 */
const ADDRESS_PARAM = {
  fullName: '张三',
  mobile: '15251667788',
  phone: '0517-88990077',
  postCode: '000000',
  cityText: '杭州市',
  provinceText: '浙江省',
  areaText: '滨江区',
  townText: '长河街道',
  address: '网商路699号',
};
const CARGO = { offerId: 624410869391, specId: 'b266e0726506185beaf205cbae88530d', quantity: 2 };

const DOCUMENTED: Record<string, { url: string; body: unknown }> = {
  A9: {
    url: '/alibaba/order/batch/submit/to/pay',
    body: { orderIds: ['2059624776425880794', '2060506524492880794'] },
  },
  A10: {
    url: '/alibaba/order/create/previewbatch',
    body: { addressParam: ADDRESS_PARAM, cargoParamList: [{ ...CARGO, sellerOpenId: 'BBBwAN4GQ60zRPzBkv7BYPJRQ' }] },
  },
  A11: {
    url: '/alibaba/order/batch/create',
    body: {
      flow: null,
      message: null,
      shopPromotionId: null,
      tradeType: null,
      addressParam: ADDRESS_PARAM,
      cargoParamList: [{ ...CARGO, sellerOpenId: 'BBBwAN4GQ60zRPzBkv7BYPJRQ' }],
    },
  },
  A14: { url: '/alibaba/order/create/preview', body: { addressParam: ADDRESS_PARAM, cargoParamList: [CARGO] } },
  A15: {
    url: '/alibaba/order/create',
    body: {
      flow: 'general',
      message: null,
      shopPromotionId: null,
      tradeType: null,
      addressParam: ADDRESS_PARAM,
      cargoParamList: [CARGO],
    },
  },
  A16: {
    url: '/alibaba/order/cancel',
    // The order id as a JSON number beyond 2^53, as the example sends it.
    body: '{"webSite":"1688","orderId":2542285634920880794,"cancelReason":"不想要了"}',
  },
  A19: { url: '/alibaba/order/detail', body: { webSite: '1688', orderId: '2019601741959504495' } },
  A26: {
    url: '/alibaba/cart/create/order',
    body: {
      flow: 'general',
      message: null,
      shopPromotionId: null,
      tradeType: null,
      addressParam: { ...ADDRESS_PARAM, districtCode: '330108' },
      cartIds: [1795432287562383],
      userId: null,
      staffName: null,
    },
  },
};

describe('the documented 1688 order requests', () => {
  let s: OrdersServer;
  beforeAll(async () => {
    s = await startOrdersServer();
  });
  afterAll(() => s.close());

  const send = (url: string, body: unknown) =>
    typeof body === 'string'
      ? s.server.signed(s.dev, 'POST', url, { rawBody: body })
      : s.post(s.dev, url, body, { 'idempotency-key': `doc-${url}` });

  for (const name of ['A10', 'A14', 'A15', 'A16', 'A19', 'A26']) {
    it(`${name} answers 40401 for its unknown ids`, async () => {
      const { url, body } = DOCUMENTED[name] as { url: string; body: unknown };
      const r = await send(url, body);
      expect(r.status, r.text).toBe(404);
      expect(r.body.code, r.text).toBe(40401);
    });
  }

  it('A16 names the order it did not find, digit for digit', async () => {
    const r = await send(DOCUMENTED.A16?.url ?? '', DOCUMENTED.A16?.body);
    expect(r.body.msg).toContain('2542285634920880794');
  });

  it('A11 answers the unknown offer’s supplier as failed with 40401', async () => {
    const r = await send(DOCUMENTED.A11?.url ?? '', DOCUMENTED.A11?.body);
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({
      successOrderList: [],
      failedOrderList: [{ offerIds: ['624410869391'], errorCode: 40401 }],
    });
  });

  it('A9 answers each unknown order as not paid, with 40401', async () => {
    const r = await send(DOCUMENTED.A9?.url ?? '', DOCUMENTED.A9?.body);
    expect(r.body.code, r.text).toBe(200);
    const ids = ['2059624776425880794', '2060506524492880794'];
    expect(r.body.data).toMatchObject({ cantPayOrderList: ids });
    const reasons = (r.body.data as { payFailureReasons: Record<string, { code: number; message: string }> })
      .payFailureReasons;
    for (const id of ids) {
      expect(reasons[id]?.code).toBe(40401);
      expect(reasons[id]?.message).toContain(id);
    }
  });
});
