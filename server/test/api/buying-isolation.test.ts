import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpaqueKind } from '../../src/platform/crypto/opaque-ids.js';
import { v2PlaceOf } from '../../src/platform/http/v2/paths.js';
import type { Credentials, Reply } from '../harness.js';
import { expectLedgerBalanced } from '../ledger.js';
import { RECEIVER, type Sku, startTaobaoServer, type TaobaoServer } from './orders/taobao-fixtures.js';

/**
 * docs/architecture.md §6 over every buying operation of the OpenAPI document: another developer, and a
 * sibling sub-account, never read or change a sub-account's orders, sub purchase orders, cart records or
 * addresses; each such request answers the same 40401 as an unknown id (or, for batch operations, reports
 * the id as not found), and nothing changes. An operation of these paths that this table does not
 * classify fails the test, so a new route comes with its isolation case.
 */

interface Objects {
  taobaoOrder: string;
  subPurchaseOrder: string;
  alibabaOrder: string;
  taobaoCartItem: string;
  alibabaCartItem: string;
  address: string;
  /** The message the Taobao order's creation wrote. */
  message: string;
}

type Call = { method: 'GET' | 'POST'; url: string; body?: unknown };

const ADDRESS_PARAM = {
  fullName: '张三',
  mobile: '15251667788',
  provinceText: '浙江省',
  cityText: '杭州市',
  areaText: '滨江区',
  address: '网商路699号',
};

/** How to reach each object-bearing operation with the objects' ids. */
const CASES: Record<string, (o: Objects) => Call> = {
  taobaoGetOrder: (o) => ({ method: 'GET', url: `/open/order/get?orderId=${o.taobaoOrder}` }),
  taobaoCancelOrder: (o) => ({ method: 'POST', url: '/open/order/cancel', body: { orderId: o.taobaoOrder } }),
  taobaoPayOrder: (o) => ({ method: 'POST', url: '/open/order/pay', body: { orderId: o.taobaoOrder } }),
  taobaoUpdateWarehouse: (o) => ({
    method: 'POST',
    url: '/open/order/updateWarehouse',
    body: { orderId: o.taobaoOrder, warehouseName: '一号仓库', warehouseAddress: '广西省' },
  }),
  taobaoUploadPayVoucher: (o) => ({
    method: 'POST',
    url: '/open/order/pay/voucher/upload',
    body: { orderId: o.taobaoOrder, amount: 1_000_000, reference: 'T-1', picture: PNG },
  }),
  taobaoImLink: (o) => ({
    method: 'POST',
    url: '/open/order/page/link/get',
    body: { sourceType: 'order', bizId: o.taobaoOrder },
  }),
  taobaoOrderLogistics: (o) => ({
    method: 'GET',
    url: `/open/order/logistics/detail/get?subPurchaseOrderId=${o.subPurchaseOrder}`,
  }),
  taobaoCartCreateOrder: (o) => ({
    method: 'POST',
    url: '/open/cart/create/order',
    body: { ids: [o.taobaoCartItem], orderAddress: RECEIVER },
  }),
  taobaoCartPreviewOrder: (o) => ({
    method: 'POST',
    url: '/open/cart/preview/order',
    body: { ids: [o.taobaoCartItem] },
  }),
  taobaoCartDelete: (o) => ({ method: 'POST', url: '/open/cart/delete', body: { ids: [o.taobaoCartItem] } }),
  taobaoCartUpdateQuantity: (o) => ({
    method: 'POST',
    url: '/open/cart/update/quantity',
    body: { id: o.taobaoCartItem, quantity: 2 },
  }),
  alibabaOrderDetail: (o) => ({
    method: 'POST',
    url: '/alibaba/order/detail',
    body: { webSite: '1688', orderId: o.alibabaOrder },
  }),
  alibabaOrderCancel: (o) => ({
    method: 'POST',
    url: '/alibaba/order/cancel',
    body: { webSite: '1688', orderId: o.alibabaOrder, cancelReason: '不想要了' },
  }),
  alibabaOrderPayUrl: (o) => ({ method: 'GET', url: `/alibaba/order/pay/url?orderId=${o.alibabaOrder}` }),
  alibabaOrderReceiveConfirm: (o) => ({
    method: 'POST',
    url: '/alibaba/order/receive/confirm',
    body: { orderId: o.alibabaOrder },
  }),
  alibabaOrderLogisticsTrace: (o) => ({
    method: 'GET',
    url: `/alibaba/order/logistics/trace?orderId=${o.alibabaOrder}`,
  }),
  alibabaCartCreateOrder: (o) => ({
    method: 'POST',
    url: '/alibaba/cart/create/order',
    body: { flow: 'general', addressParam: ADDRESS_PARAM, cartIds: [o.alibabaCartItem] },
  }),
  alibabaCartPreviewOrder: (o) => ({
    method: 'POST',
    url: '/alibaba/cart/preview/order',
    body: { cartIds: [o.alibabaCartItem] },
  }),
  alibabaCartDelete: (o) => ({ method: 'POST', url: '/alibaba/cart/delete', body: { cartIds: [o.alibabaCartItem] } }),
  alibabaCartUpdateQuantity: (o) => ({
    method: 'POST',
    url: '/alibaba/cart/update/quantity',
    body: { cartId: o.alibabaCartItem, quantity: 2 },
  }),
  getAddresses: (o) => ({ method: 'POST', url: '/open/address/get', body: { id: o.address } }),
  saveAddress: (o) => ({
    method: 'POST',
    url: '/open/address/addOrUpdate',
    body: {
      id: o.address,
      name: 'x',
      province: '浙江省',
      city: '杭州市',
      district: '',
      address: 'y',
      phone: '13800000000',
    },
  }),
  listMessageAttempts: (o) => ({ method: 'GET', url: `/open/message/attempts?messageId=${o.message}` }),
  redeliverMessages: (o) => ({ method: 'POST', url: '/open/message/redeliver', body: { messageId: o.message } }),
};

/** Batch operations: they answer 200 and report a foreign id as not found, per id. */
const BATCH_CASES: Record<string, (o: Objects) => Call> = {
  alibabaOrderBatchPay: (o) => ({
    method: 'POST',
    url: '/alibaba/order/batch/submit/to/pay',
    body: { orderIds: [o.alibabaOrder] },
  }),
};

/** Operations that take no object id: lists scoped to the caller, creates, previews of goods, the balance. */
const NO_OBJECT_ID = new Set([
  'taobaoCreateOrder',
  'taobaoListOrders',
  'taobaoCartList',
  'taobaoCartAdd',
  'alibabaOrderCreate',
  'alibabaOrderBatchCreate',
  'alibabaOrderPreview',
  'alibabaOrderPreviewBatch',
  'alibabaOrderPage',
  'alibabaCartAdd',
  'alibabaCartList',
  'getAccountBalance',
  'getAccountLedger',
  'listMessages',
  // Scoped to the caller like the lists (api/messages/message-pull.test.ts checks the isolation).
  'pullMessages',
  // The developer's own callback settings: no object id, main account only (api/messages/callback-settings.test.ts).
  'getCallbackSettings',
  'saveCallbackUrl',
  'rotateCallbackSecret',
]);

/** After-sales operations: each has its isolation case in api/refunds/taobao-refund-isolation.test.ts. */
const AFTER_SALES = new Set([
  'taobaoListRefunds',
  'taobaoRenderRefund',
  'taobaoRenderRefundReturn',
  'taobaoSubmitRefundReturn',
  'taobaoCancelRefund',
  'taobaoSubmitRefundMessage',
  'taobaoSubmitRefund',
  'taobaoListRefundMessages',
  'taobaoModifyRefund',
  'taobaoGetRefund',
]);

const BUYING_PATHS = /^\/(open\/(order|cart|address|account|message)|alibaba\/(order|cart))(\/|$)/;
/** Their v2 twins (docs/adr/0019), classified as the v1 operation they mirror. */
const BUYING_PATHS_V2 = /^\/v2\/(taobao\/(order|cart)|open\/address|alibaba\/(order|cart))(\/|$)/;
const v1OperationOf = (id: string) => (id.startsWith('v2') ? id.charAt(2).toLowerCase() + id.slice(3) : id);

/** The objects' kinds on v2: Ponte's orders and their parts are opaque there, the rest as on v1. */
const OPAQUE_OBJECTS: Partial<Record<keyof Objects, OpaqueKind>> = {
  taobaoOrder: 'order',
  subPurchaseOrder: 'order-part',
  alibabaOrder: 'order',
};

/** The same call on the v2 twin: its path, and a GET that v2 makes a POST with the query's fields in the body. */
function onV2(call: Call): Call {
  const [path = '', query] = call.url.split('?');
  const place = v2PlaceOf(call.method, path);
  if (!place) throw new Error(`${call.url} has no v2 twin`);
  if (place.method === call.method) return { ...call, url: query ? `${place.url}?${query}` : place.url };
  return { method: 'POST', url: place.url, body: Object.fromEntries(new URLSearchParams(query ?? '')) };
}

// A 1×1 transparent PNG: a valid picture for the voucher route.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('isolation over every buying operation (docs/architecture.md §6)', () => {
  let t: TaobaoServer;
  let objects: Objects;
  let unknown: Objects;

  beforeAll(async () => {
    t = await startTaobaoServer();
    const [sku] = t.skus as [Sku];
    const order = await t.order(t.sub, [sku]);
    const offer = t.server.deps.sandbox?.store.db
      .prepare(
        `select g.id as offerId, s.sku_id as specId from goods g join skus s on s.platform = g.platform and s.good_id = g.id
         where g.platform = '1688' and g.status = 'active' and g.min_order_quantity = 1 and s.stock >= 20 order by g.idx limit 1`,
      )
      .get() as { offerId: string; specId: string };
    const alibaba = await t.post<{ orderId: string }>(t.sub, '/alibaba/order/create', {
      flow: 'general',
      addressParam: ADDRESS_PARAM,
      cargoParamList: [{ offerId: offer.offerId, specId: offer.specId, quantity: 1 }],
    });
    expect(alibaba.body.code, alibaba.text).toBe(200);
    const cart = await t.post<{ id: string }>(t.sub, '/open/cart/add', {
      mpId: sku.mpId,
      mpSkuId: sku.mpSkuId,
      quantity: 1,
    });
    expect(cart.body.code, cart.text).toBe(200);
    const cart1688 = await t.post<{ id: string }>(t.sub, '/alibaba/cart/add', { ...offer, quantity: 1 });
    expect(cart1688.body.code, cart1688.text).toBe(200);
    const address = await t.post<{ id: string }>(t.sub, '/open/address/addOrUpdate', {
      name: '张三',
      province: '浙江省',
      city: '杭州市',
      district: '余杭区',
      address: '测试地址',
      phone: '13800000000',
    });
    expect(address.body.code, address.text).toBe(200);
    const message = await t.server.deps.database.db
      .selectFrom('messages')
      .select('id')
      .where('object_id', '=', order.orderId)
      .executeTakeFirstOrThrow();
    objects = {
      taobaoOrder: order.orderId,
      subPurchaseOrder: order.subPurchaseOrders[0]?.subPurchaseOrderId ?? '',
      alibabaOrder: alibaba.body.data.orderId,
      taobaoCartItem: cart.body.data.id,
      alibabaCartItem: cart1688.body.data.id,
      address: address.body.data.id,
      message: message.id,
    };
    const missing = '1795432287562383361';
    unknown = Object.fromEntries(Object.keys(objects).map((k) => [k, missing])) as unknown as Objects;
    // Enough money that no refusal is about the balance.
    await t.topUp(t.dev.developId, 10_000_000);
  });
  afterAll(() => t.close());

  const send = (who: Credentials, call: Call): Promise<Reply> =>
    call.method === 'GET' ? t.get(who, call.url) : t.post(who, call.url, call.body);

  it('classifies every buying operation of the OpenAPI document', () => {
    const doc = JSON.parse(fs.readFileSync(new URL('../../../openapi.json', import.meta.url), 'utf8')) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => BUYING_PATHS.test(path) || BUYING_PATHS_V2.test(path))
      .flatMap(([, methods]) => Object.values(methods).map((op) => v1OperationOf(op.operationId)));
    expect(operations.length).toBeGreaterThan(60);
    const unclassified = operations.filter(
      (id) => !CASES[id] && !BATCH_CASES[id] && !NO_OBJECT_ID.has(id) && !AFTER_SALES.has(id),
    );
    expect(unclassified, 'operations without an isolation case').toEqual([]);
  });

  it('another developer and a sibling sub-account get the 40401 of an unknown id, and change nothing', async () => {
    const before = await snapshot();
    for (const [operation, call] of Object.entries(CASES)) {
      const missing = await send(t.other, call(unknown));
      expect(missing.body.code, `${operation} with an unknown id: ${missing.text}`).toBe(40401);
      for (const who of [t.other, t.sibling]) {
        const r = await send(who, call(objects));
        expect(r.body.code, `${operation} as ${who === t.other ? 'another developer' : 'a sibling'}: ${r.text}`).toBe(
          40401,
        );
        expect(r.status).toBe(404);
        expect(Object.keys(r.body).sort()).toEqual(Object.keys(missing.body).sort());
      }
    }
    for (const [operation, call] of Object.entries(BATCH_CASES)) {
      for (const who of [t.other, t.sibling]) {
        const r = await send(who, call(objects));
        expect(r.body.code, `${operation}: ${r.text}`).toBe(200);
        expect(JSON.stringify(r.body.data), operation).toContain('40401');
      }
    }
    expect(await snapshot()).toEqual(before);
    await expectLedgerBalanced(t.server.deps.database.db);
  });

  it('on v2, with the objects’ opaque ids: the same 40401 as an unknown id, and nothing changes', async () => {
    const ids = t.server.deps.opaqueIds;
    const opaque = (o: Objects): Objects =>
      Object.fromEntries(
        Object.entries(o).map(([k, v]) => {
          const kind = OPAQUE_OBJECTS[k as keyof Objects];
          return [k, kind ? ids.encode(kind, v) : v];
        }),
      ) as unknown as Objects;
    const [mine, missing] = [opaque(objects), opaque(unknown)];
    const before = await snapshot();
    for (const [operation, call] of Object.entries(CASES)) {
      if (call(objects).url.startsWith('/open/message/')) continue; // Ponte's own: no v2 twin
      const none = await send(t.other, onV2(call(missing)));
      expect(none.body.code, `v2 ${operation} with an unknown id: ${none.text}`).toBe(40401);
      for (const who of [t.other, t.sibling]) {
        const r = await send(who, onV2(call(mine)));
        expect(
          r.body.code,
          `v2 ${operation} as ${who === t.other ? 'another developer' : 'a sibling'}: ${r.text}`,
        ).toBe(40401);
        // The refusal names the id as it was sent: nothing of the object behind it shows.
        expect(r.body.msg, operation).not.toContain(objects.taobaoOrder);
        expect(r.body.msg, operation).not.toContain(objects.alibabaOrder);
      }
    }
    for (const [operation, call] of Object.entries(BATCH_CASES)) {
      for (const who of [t.other, t.sibling]) {
        const r = await send(who, onV2(call(mine)));
        expect(r.body.code, `v2 ${operation}: ${r.text}`).toBe(200);
        expect(JSON.stringify(r.body.data), operation).toContain('40401');
      }
    }
    expect(await snapshot()).toEqual(before);
    // The owner reaches them by the same opaque ids.
    const own = await send(t.sub, onV2((CASES.taobaoGetOrder as (o: Objects) => Call)(mine)));
    expect(own.body.code, own.text).toBe(200);
  });

  it('the owner reaches each object (the cases name real objects)', async () => {
    for (const operation of [
      'taobaoGetOrder',
      'taobaoOrderLogistics',
      'alibabaOrderDetail',
      'getAddresses',
      'listMessageAttempts',
    ] as const) {
      const call = CASES[operation];
      if (!call) throw new Error(operation);
      const r = await send(t.sub, call(objects));
      expect(r.body.code, `${operation}: ${r.text}`).toBe(200);
    }
    const preview = await send(t.sub, (CASES.taobaoCartPreviewOrder as (o: Objects) => Call)(objects));
    expect(preview.body.code, preview.text).toBe(200);
  });

  /** What the foreign requests could have changed: orders, parts, carts, addresses, vouchers, the ledger, messages. */
  async function snapshot() {
    const db = t.server.deps.database.db;
    return {
      orders: await db
        .selectFrom('orders')
        .select(['id', 'status', 'pay_state', 'version', 'warehouse_name'])
        .orderBy('id')
        .execute(),
      carts: await db.selectFrom('cart_items').select(['id', 'quantity']).orderBy('id').execute(),
      addresses: await db.selectFrom('addresses').select(['id', 'name', 'address']).orderBy('id').execute(),
      vouchers: await db.selectFrom('payment_vouchers').select('id').execute(),
      ledger: await db.selectFrom('ledger_transactions').select('id').orderBy('id').execute(),
      messages: await db
        .selectFrom('messages')
        .select(['id', 'delivery', 'next_attempt_at', 'round_attempts'])
        .orderBy('id')
        .execute(),
    };
  }
});
