import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARCEL_EVENTS } from '../../../src/modules/freight/shipments.states.js';
import { DISABLED_MESSAGE_TYPE, VERIFICATION_MESSAGE_TYPE } from '../../../src/modules/messages/callbacks.js';
import { MESSAGE_BODIES, type MessageKindName, messageKindOf } from '../../../src/modules/messages/message-bodies.js';
import { insertMessage } from '../../../src/modules/messages/write.js';
import { messageTypeOf, type OrderTopic } from '../../../src/modules/orders/messages.js';
import { refundMessageType } from '../../../src/modules/refunds/messages.js';
import { WAREHOUSE_MESSAGE_TYPES } from '../../../src/modules/warehouse/message-kinds.js';
import { callbackWebhooks } from '../../../src/platform/http/openapi.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';
import { type OrdersServer, startOrdersServer } from '../orders/alibaba-fixtures.js';
import { startTaobaoServer, type TaobaoOrder, type TaobaoServer } from '../orders/taobao-fixtures.js';

/**
 * Every message body a writer produces matches its schema in message-bodies.ts: real orders are driven through
 * every transition the API and the sandbox market allow, on both platforms, and a callback URL is saved and then
 * answers 410; the messages are read back from `/open/message/list` and each body validated against its schema with
 * every object closed, so that a field a writer adds, drops or retypes without its schema fails here. What was POSTed
 * matches the OpenAPI webhook of its kind, and the examples validate against their own schemas.
 */

interface Listed {
  messageId: string;
  messageType: string;
  messagePlatform: number | null;
  objectId: string;
  version: number;
  messageBody: unknown;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
/** Ajv's errors with their params, which name the property that is extra or missing. */
const errorsOf = (validate: ValidateFunction) =>
  (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('; ');

/** The schema as JSON with every object closed (`additionalProperties: false` where it says nothing). */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = closed(v);
  // An object schema (not a map of properties, one of which the Taobao lines call `properties`).
  if (out.type === 'object' && 'properties' in out && !('additionalProperties' in out))
    out.additionalProperties = false;
  return out;
}

const names = Object.keys(MESSAGE_BODIES) as MessageKindName[];
const validators = new Map<MessageKindName, ValidateFunction>(
  names.map((name) => [name, ajv.compile(closed(JSON.parse(JSON.stringify(MESSAGE_BODIES[name].schema))) as object)]),
);

/** Validates one message's body against its kind's schema; answers the kind. */
function expectValidBody(m: Pick<Listed, 'messageType' | 'messagePlatform' | 'messageBody' | 'version'>): string {
  const name = messageKindOf(m.messageType, m.messagePlatform);
  expect(name, `no schema for ${m.messageType} on platform ${m.messagePlatform}`).toBeDefined();
  const validate = validators.get(name as MessageKindName) as ValidateFunction;
  const ok = validate(m.messageBody);
  expect(ok, `${name} v${m.version}: ${errorsOf(validate)}\n${JSON.stringify(m.messageBody)}`).toBe(true);
  return name as string;
}

/** Every message of the developer, oldest first, read page by page as a developer would. */
async function allMessages(server: TestServer, who: Credentials): Promise<Listed[]> {
  const out: Listed[] = [];
  for (let page = 1; ; page++) {
    const r = await server.signed<{ total: number; messages: Listed[] }>(
      who,
      'GET',
      `/open/message/list?pageNo=${page}&pageSize=50`,
    );
    expect(r.body.code, r.text).toBe(200);
    out.push(...r.body.data.messages);
    if (out.length >= r.body.data.total || r.body.data.messages.length === 0) break;
  }
  return out.reverse();
}

/** Validates every message and the envelope rules beside the body; answers the kinds seen. */
function checkAll(messages: Listed[]): Set<string> {
  expect(messages.length).toBeGreaterThan(0);
  const seen = new Set<string>();
  const lastVersion = new Map<string, number>();
  for (const m of messages) {
    const name = expectValidBody(m);
    seen.add(name);
    expect(m.messagePlatform).toBe(MESSAGE_BODIES[name as MessageKindName].platform);
    // The version grows with every message about the object.
    expect(m.version, `${name} of ${m.objectId}`).toBeGreaterThan(lastVersion.get(m.objectId) ?? 0);
    lastVersion.set(m.objectId, m.version);
  }
  return seen;
}

const kindsOf = (platform: 0 | 1 | null) => names.filter((n) => MESSAGE_BODIES[n].platform === platform).sort();

const TOPICS = {
  created: true,
  price: true,
  paid: true,
  shipped: true,
  confirmed: true,
  finished: true,
  buyer_close: true,
  seller_close: true,
} satisfies Record<OrderTopic, true>;

describe('the message kinds of message-bodies.ts', () => {
  it('has a schema, a description and an example for every type a writer produces', () => {
    const written = new Set<string>();
    for (const platform of ['taobao', '1688'] as const) {
      for (const topic of Object.keys(TOPICS) as OrderTopic[]) {
        const type = messageTypeOf(platform, topic);
        const name = messageKindOf(type, platform === 'taobao' ? 0 : 1);
        expect(name, `${platform} ${topic}: ${type}`).toBeDefined();
        written.add(name as string);
      }
    }
    for (const [platform, inSales] of [
      ['taobao', 1],
      ['1688', 1],
      ['1688', 0],
    ] as const) {
      const type = refundMessageType({ platform, in_sales: inSales });
      const name = messageKindOf(type, platform === 'taobao' ? 0 : 1);
      expect(name, `${platform} refund: ${type}`).toBeDefined();
      written.add(name as string);
    }
    for (const type of [
      VERIFICATION_MESSAGE_TYPE,
      DISABLED_MESSAGE_TYPE,
      ...Object.values(WAREHOUSE_MESSAGE_TYPES),
      ...Object.values(PARCEL_EVENTS),
    ]) {
      const name = messageKindOf(type, null);
      expect(name, type).toBeDefined();
      written.add(name as string);
    }
    // Nothing is documented that nothing writes.
    expect([...written].sort()).toEqual([...names].sort());
    for (const name of names) {
      const kind = MESSAGE_BODIES[name];
      expect(kind.description.length, name).toBeGreaterThan(20);
      expect(kind.example, name).toBeTypeOf('object');
    }
  });

  it('validates every example against its own schema', () => {
    for (const name of names) {
      const { messageType, platform, example } = MESSAGE_BODIES[name];
      expect(expectValidBody({ messageType, messagePlatform: platform, messageBody: example, version: 1 })).toBe(name);
    }
  });

  it('refuses a body with a field the schema does not name, or one missing, or of another type', () => {
    const { messageType, platform, example } = MESSAGE_BODIES.TAOBAO_ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE;
    const validate = validators.get('TAOBAO_ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE') as ValidateFunction;
    const [line] = example.subOrders;
    expect(messageKindOf(messageType, platform)).toBe('TAOBAO_ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE');
    expect(validate({ ...example, extra: 1 })).toBe(false);
    expect(validate({ ...example, subOrders: [{ ...line, currency: 'USD' }] })).toBe(false);
    const { updateTime: _, ...missing } = example;
    expect(validate(missing)).toBe(false);
    expect(validate({ ...example, version: '3' })).toBe(false);
  });

  it('tells the two price messages apart by platform', () => {
    expect(messageKindOf('ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY', 0)).toBe('TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY');
    expect(messageKindOf('ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY', 1)).toBe('1688_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY');
    expect(messageKindOf('ORDER_BUYER_VIEW_ORDER_PAY', 0)).toBeUndefined();
    expect(messageKindOf('ORDER_BUYER_VIEW_ORDER_BUYER_REFUND', 1)).toBeUndefined();
  });
});

describe('Taobao orders through every transition: each message body matches its schema', () => {
  let t: TaobaoServer;
  beforeAll(async () => {
    t = await startTaobaoServer();
  });
  afterAll(() => t?.close());

  const pay = async (order: TaobaoOrder) => {
    await t.topUp(t.dev.developId, order.totalPrice);
    const r = await t.post(t.dev, '/open/order/pay', { orderId: order.orderId });
    expect(r.body.code, r.text).toBe(200);
  };

  it('create, price change, pay, ship, finish; cancel; close unpaid', async () => {
    const [a, b] = t.skus;
    if (!a || !b) throw new Error('two SKUs of two shops needed');
    // Two sellers: two sub purchase orders, changed one at a time by the market.
    const order = await t.order(t.dev, [a, b], { sellerOrderNumber: 'SO-1', purchaseAmount: 10_000_000 });
    const part = order.subPurchaseOrders[0];
    if (!part) throw new Error('a sub purchase order');
    const price = await t.server.admin('POST', `/sandbox/taobao/orders/${part.purchaseOrderOuterId}/price`, {
      totalFen: part.totalPrice - 37,
    });
    expect(price.body.code, price.text).toBe(200);
    await t.server.drainOutbox();
    await pay(await t.detail(t.dev, order.orderId));
    // Shipped an hour after payment; signed for after the trace's steps; receipt confirmed ten days later.
    await t.advance(3_600_000 + 2 * 86_400_000);
    expect((await t.detail(t.dev, order.orderId)).status).toBe('WAIT_BUYER_CONFIRM_GOODS');
    await t.advance(12 * 86_400_000);
    expect((await t.detail(t.dev, order.orderId)).status).toBe('TRADE_FINISHED');

    const cancelled = await t.order(t.dev, [a]);
    const cancel = await t.post(t.dev, '/open/order/cancel', { orderId: cancelled.orderId, reason: '不想要了' });
    expect(cancel.body.code, cancel.text).toBe(200);

    const unpaid = await t.order(t.dev, [b]);
    await t.advance(25 * 3_600_000);
    expect((await t.detail(t.dev, unpaid.orderId)).status).toBe('TRADE_CLOSED');

    // A reverse order of a paid line, refunded by the seller.
    const refunded = await t.order(t.dev, [a]);
    await pay(refunded);
    const line = refunded.subPurchaseOrders[0]?.orderLines[0];
    const submit = await t.post<{ refundOrderAggregate: { refundOrder: { refundId: string; refundOuterId: string } } }>(
      t.dev,
      '/open/order/refund/submit',
      { subOrderId: line?.purchaseOrderLineId, refundType: 1, goodsStatus: 1, reasonId: '150013', refundFee: 1 },
    );
    expect(submit.body.code, submit.text).toBe(200);
    const { refundId, refundOuterId } = submit.body.data.refundOrderAggregate.refundOrder;
    const agree = await t.server.admin('POST', `/sandbox/taobao/refunds/${refundOuterId}/agree`, {});
    expect(agree.body.code, agree.text).toBe(200);
    await t.server.drainOutbox();

    const messages = await allMessages(t.server, t.dev);
    // Shipped lines are expected at the warehouse: its message comes with the order's.
    expect([...checkAll(messages)].sort()).toEqual([...kindsOf(0), 'WAREHOUSE_ITEM_EXPECTED'].sort());
    const statuses = (id: string) =>
      messages.filter((m) => m.objectId === id).map((m) => (m.messageBody as { status?: string }).status ?? 'price');
    expect(statuses(order.orderId)).toEqual(
      expect.arrayContaining(['WAIT_BUYER_PAY', 'price', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS']),
    );
    expect(statuses(order.orderId).at(-1)).toBe('TRADE_FINISHED');
    expect(statuses(cancelled.orderId)).toEqual(['WAIT_BUYER_PAY', 'TRADE_CLOSED']);
    expect(statuses(unpaid.orderId)).toEqual(['WAIT_BUYER_PAY', 'TRADE_CLOSED']);
    const refundStatuses = messages
      .filter((m) => m.objectId === refundId)
      .map(
        (m) =>
          (m.messageBody as { refundOrderAggregate: { refundOrder: { refundStatus: string } } }).refundOrderAggregate
            .refundOrder.refundStatus,
      );
    expect(refundStatuses).toEqual(['100', '400']);
  });
});

describe('1688 orders through every transition: each message body matches its schema', () => {
  let s: OrdersServer;
  beforeAll(async () => {
    s = await startOrdersServer();
  });
  afterAll(() => s?.close());

  const upstreamId = async (orderId: string) =>
    (await s.detail(s.dev, orderId)).extAttributes.find((a) => a.key === 'upstreamOrderId')?.value;
  const pay = async (orderId: string) => {
    await s.topUp(s.dev.developId, (await s.detail(s.dev, orderId)).baseInfo.totalAmount);
    const r = await s.get(s.dev, `/alibaba/order/pay/url?orderId=${orderId}`);
    expect(r.body.code, r.text).toBe(200);
  };

  it('create, price change, pay, ship, confirm, finish; finish unconfirmed; cancel; close unpaid', async () => {
    const [first, second] = s.offers;
    if (!first || !second) throw new Error('two offers needed');
    const confirmed = await s.create(s.dev, [first], { message: '请尽快发货', tradeType: 'fxassure' });
    const before = await s.detail(s.dev, confirmed);
    const price = await s.server.admin('POST', `/sandbox/1688/orders/${await upstreamId(confirmed)}/price`, {
      totalFen: before.baseInfo.totalAmount - 50,
    });
    expect(price.body.code, price.text).toBe(200);
    await s.server.drainOutbox();
    await pay(confirmed);
    await s.ship(s.dev, confirmed);
    const confirm = await s.post(s.dev, '/alibaba/order/receive/confirm', { orderId: confirmed });
    expect(confirm.body.code, confirm.text).toBe(200);
    await s.advance(2 * 3_600_000);
    expect((await s.detail(s.dev, confirmed)).baseInfo.status).toBe('success');

    // Never confirmed: the market confirms receipt itself ten days after the parcel is signed for.
    const unconfirmed = await s.create(s.dev, [second]);
    await pay(unconfirmed);
    await s.advance(14 * 86_400_000);
    expect((await s.detail(s.dev, unconfirmed)).baseInfo.status).toBe('success');

    const cancelled = await s.create(s.dev, [second]);
    await s.advance(11_000);
    const cancel = await s.post(s.dev, '/alibaba/order/cancel', {
      webSite: '1688',
      orderId: cancelled,
      cancelReason: 'buyerCancel',
    });
    expect(cancel.body.code, cancel.text).toBe(200);

    const unpaid = await s.create(s.dev, [first]);
    await s.advance(25 * 3_600_000);
    expect((await s.detail(s.dev, unpaid)).baseInfo.status).toBe('cancel');

    // Refunds: one during the sale (paid, not shipped), one after it (the finished order), each agreed.
    const inSales = await s.create(s.dev, [second]);
    await pay(inSales);
    const refund = async (orderId: string, goodsStatus: string, reasonId: string) => {
      const r = await s.post<{ refundId: string }>(s.dev, '/alibaba/refund/detail/create', {
        orderId,
        disputeRequest: 'refund',
        applyPayment: 1,
        applyCarriage: 0,
        applyReasonId: reasonId,
        description: '不想要了',
        goodsStatus,
      });
      expect(r.body.code, r.text).toBe(200);
      const info = await s.post<{ refundOuterId: string }>(
        s.dev,
        `/alibaba/refund/info?refundId=${r.body.data.refundId}`,
        {},
      );
      const agree = await s.server.admin('POST', `/sandbox/1688/refunds/${info.body.data.refundOuterId}/agree`, {});
      expect(agree.body.code, agree.text).toBe(200);
      await s.server.drainOutbox();
      return r.body.data.refundId;
    };
    const duringSale = await refund(inSales, 'refundWaitSellerSend', '150013');
    const afterSale = await refund(confirmed, 'aftersaleBuyerReceived', '403769');

    const messages = await allMessages(s.server, s.dev);
    expect([...checkAll(messages)].sort()).toEqual([...kindsOf(1), 'WAREHOUSE_ITEM_EXPECTED'].sort());
    const typesOf = (id: string) => messages.filter((m) => m.objectId === id).map((m) => m.messageType);
    expect(typesOf(confirmed)).toEqual([
      'ORDER_BUYER_VIEW_BUYER_MAKE',
      'ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY',
      'ORDER_BUYER_VIEW_ORDER_PAY',
      'ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS',
      'ORDER_BUYER_VIEW_ORDER_COMFIRM_RECEIVEGOODS',
      'ORDER_BUYER_VIEW_ORDER_SUCCESS',
    ]);
    expect(typesOf(unconfirmed).at(-1)).toBe('ORDER_BUYER_VIEW_ORDER_SUCCESS');
    expect(typesOf(cancelled)).toEqual(['ORDER_BUYER_VIEW_BUYER_MAKE', 'ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE']);
    expect(typesOf(unpaid)).toEqual(['ORDER_BUYER_VIEW_BUYER_MAKE', 'ORDER_BUYER_VIEW_ORDER_SELLER_CLOSE']);
    expect(typesOf(duringSale)).toEqual([
      'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES',
      'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES',
    ]);
    expect(typesOf(afterSale)).toEqual([
      'ORDER_BUYER_VIEW_ORDER_REFUND_AFTER_SALES',
      'ORDER_BUYER_VIEW_ORDER_REFUND_AFTER_SALES',
    ]);
  });
});

describe('the messages about the callback URL: verification and disabling', () => {
  let server: TestServer;
  let receiver: http.Server;
  /** The POSTs received, bodies as sent; deliveries after the verification are answered 410 Gone. */
  const got: string[] = [];
  const webhooks = callbackWebhooks(MESSAGE_BODIES) as Record<string, { post: { requestBody: unknown } }>;
  /** Validates a POSTed body against the request schema of the kind's OpenAPI webhook. */
  function expectDelivered(name: MessageKindName, raw: string): void {
    const body = webhooks[name]?.post.requestBody as { content: { 'application/json': { schema: object } } };
    const validate = ajv.compile(closed(body.content['application/json'].schema) as object);
    expect(validate(JSON.parse(raw)), `${name}: ${errorsOf(validate)}\n${raw}`).toBe(true);
  }

  beforeAll(async () => {
    server = await startServer({ env: { CALLBACK_ALLOW_PRIVATE: 'true' } });
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(got.length === 1 ? 204 : 410).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    await server?.close();
  });

  it('CALLBACK_VERIFICATION when the URL is saved; CALLBACK_DISABLED when it answers 410', async () => {
    const dev = await server.createDeveloper('Callbacks');
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callbacks`;
    const saved = await server.signed(dev, 'POST', '/open/message/callback', { body: { callbackUrl: url } });
    expect(saved.body.code, saved.text).toBe(200);
    expect(got).toHaveLength(1);
    const verification = JSON.parse(got[0] as string) as Listed;
    expect(verification).toMatchObject({ messageType: VERIFICATION_MESSAGE_TYPE, messagePlatform: null, version: 0 });
    expect(expectValidBody(verification)).toBe('CALLBACK_VERIFICATION');
    expect(verification.messageBody).toEqual({ developId: dev.developId, callbackUrl: url });
    expectDelivered('CALLBACK_VERIFICATION', got[0] as string);

    // An order message, as the orders module writes it, delivered to a receiver that is gone.
    const paid = MESSAGE_BODIES['1688_ORDER_BUYER_VIEW_ORDER_PAY'].example;
    await server.deps.database.transaction((trx) =>
      insertMessage(trx, server.deps, {
        developId: dev.developId,
        userId: dev.userId,
        platform: 1,
        type: 'ORDER_BUYER_VIEW_ORDER_PAY',
        objectType: 'order',
        objectId: paid.baseInfo.id,
        version: 3,
        body: JSON.stringify(paid),
      }),
    );
    expect(await server.drainCallbacks()).toBeGreaterThan(0);
    expect(got).toHaveLength(2);
    expectDelivered('1688_ORDER_BUYER_VIEW_ORDER_PAY', got[1] as string);

    const messages = await allMessages(server, dev);
    expect([...checkAll(messages)].sort()).toEqual(['1688_ORDER_BUYER_VIEW_ORDER_PAY', 'CALLBACK_DISABLED']);
    const disabled = messages.find((m) => m.messageType === DISABLED_MESSAGE_TYPE);
    expect(disabled?.messageBody).toMatchObject({ callbackUrl: url, reason: 'gone' });
  });
});
