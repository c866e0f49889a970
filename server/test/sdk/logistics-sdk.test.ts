import { type ApiError, type Parcel, PonteAdminClient, PonteClient, type WarehouseItem } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote } from '../../src/modules/freight/quote.js';
import { SAMPLE_CHANNELS } from '../../src/modules/freight/sample-channels.js';
import { ADDRESS } from '../api/orders/alibaba-fixtures.js';
import { RECEIVER } from '../api/orders/taobao-fixtures.js';
import { picture } from '../api/payments/payments-fixtures.js';
import { type Credentials, startServer, type TestServer } from '../harness.js';

/**
 * The logistics walk-through end to end, through the SDK against the real server, for an order of each platform:
 * paid order → freight estimate (W1) and preview (W2) → booking charged (W4) → the seller ships → the warehouse
 * receives, inspects (a photo), the operator packs (the freight settled against the estimate: the gap charged on
 * one, the surplus refunded on the other), ships and delivers; the ledger and the callback messages tell each step.
 * Storage is charged from the first day (`WAREHOUSE_FREE_DAYS=0`), so the fee shows in the ledger too.
 */

const US = {
  country: 'US',
  state: 'California',
  city: 'VALLEY VLG',
  zip: '91607',
  address: '5818 WHITSETT AVE 401',
  name: 'Ofir Birinbaum',
  phone: '5083326888',
  mobilePhone: '5083326888',
  email: 'buyer@example.com',
};
const FEE_PER_DAY = 70;
const NEVER = 10 * 365 * 86_400_000;

let server: TestServer;
let dev: Credentials;
let client: PonteClient;
let admin: PonteAdminClient;

beforeAll(async () => {
  server = await startServer({
    env: {
      SANDBOX_GOODS: '60',
      SANDBOX_SEED: '12',
      WAREHOUSE_FREE_DAYS: '0',
      WAREHOUSE_FEE_PER_DAY_FEN: String(FEE_PER_DAY),
      RATE_LIMIT_PER_SECOND: '100000',
      RATE_LIMIT_BURST: '100000',
    },
  });
  server.deps.sandbox?.ensureSeeded();
  // The sellers ship when the test says so.
  const policy = await server.admin('PUT', '/sandbox/policy', { priceModifyRate: 0, shipAfterMs: NEVER });
  expect(policy.body.code, policy.text).toBe(200);
  dev = await server.createDeveloper('Logistics');
  client = new PonteClient({ baseUrl: server.baseUrl, ...dev });
  admin = new PonteAdminClient({ baseUrl: server.baseUrl, token: server.deps.adminToken });
  await admin.topups.create(dev.developId, { amount: 50_000_000, reference: 'logistics walk-through' });
}, 120_000);
afterAll(() => server?.close());

/** The sample channel of the contract's `serviceId`. */
const channelOf = (serviceId: string) => {
  const channel = SAMPLE_CHANNELS.find((c) => c.id === serviceId);
  if (!channel) throw new Error(`channel ${serviceId}`);
  return channel;
};

/** The messages about one object, oldest first, as types. */
async function messageTypes(objectId: string): Promise<string[]> {
  const page = await client.messages.list({ objectId, pageSize: 50 });
  return page.messages.map((m) => m.messageType).reverse();
}

/** The freight and storage movements of the ledger since `since` entries, oldest first, as [kind, amount]. */
async function logisticsLedger(): Promise<[string, number][]> {
  const page = await client.account.ledger({ pageSize: 50 });
  return page.entries
    .filter((e) => ['freight_charge', 'freight_settle', 'freight_refund', 'storage_fee'].includes(e.kind))
    .reverse()
    .map((e) => [e.kind, e.amount]);
}

/**
 * From a paid order's line to a delivered parcel: preview and book the line's goods on the cheapest channel, have the
 * seller ship (`ship`), receive and inspect them, pack them as `measured`, ship and deliver. Answers the booking, the
 * packed parcel and the warehouse item.
 */
async function walkThrough(
  line: { itemId: string; skuId: string; quantity: number; orderId: string },
  ship: () => Promise<void>,
  measured: (estimate: { billedWeightG: number; serviceId: string }) => {
    weightG: number;
    lengthCm: number;
    widthCm: number;
    heightCm: number;
  },
) {
  const estimate = await client.logistics.estimateItem({
    itemId: line.itemId,
    skuId: line.skuId,
    quantity: line.quantity,
    receiverAddress: US,
    currency: 'CNY',
    price: '1.00',
  });
  const cheapest = estimate.channels.find((c) => c.available);
  if (!cheapest) throw new Error('a channel that carries the goods');
  expect(cheapest.chargeableWeightG).toBe(Math.max(cheapest.actualWeightG, cheapest.volumetricWeightG));

  const preview = await client.logistics.preview({
    receiverAddress: US,
    renderItems: [
      {
        itemId: line.itemId,
        skuId: line.skuId,
        quantity: line.quantity,
        freightInfo: { serviceId: cheapest.freightInfo.serviceId, companyName: '', serviceCategory: '' },
        currency: 'CNY',
        price: '1.00',
      },
    ],
  });
  expect(preview.renderId).toMatch(/^FF\d{8}\d+$/);
  expect(preview.expireTime).toBeGreaterThan(Date.now() + 23 * 3_600_000);
  const quoted = preview.renderItems[0]?.quotes[0];
  expect(quoted?.freight).toBe(cheapest.freight);

  const booking = await client.logistics.book(
    {
      renderId: preview.renderId,
      receiverAddress: US,
      lineItems: null,
      tmallOrderInfo: { tmallOrderId: line.orderId },
    },
    { idempotencyKey: `book-${preview.renderId}` },
  );
  const booked = booking.parcels[0] as Parcel;
  expect(booking.parcels).toHaveLength(1);
  expect(booked).toMatchObject({ status: 'booked', estimate: cheapest.freight, renderId: preview.renderId });
  // A second booking of the preview answers the same parcel and charges nothing more.
  const again = await client.logistics.book({ renderId: preview.renderId, receiverAddress: US });
  expect(again.parcels.map((p) => p.parcelId)).toEqual([booked.parcelId]);

  await ship();
  await server.drainOutbox();
  const expected = await client.logistics.warehouseItems({ orderId: line.orderId });
  const item = expected.list[0] as WarehouseItem;
  expect(expected.list).toHaveLength(1);
  expect(item).toMatchObject({ status: 'expected', productId: line.itemId, skuId: line.skuId });

  const receipt = await admin.warehouse.receive({ trackingNo: item.trackingNo });
  expect(receipt.outcome).toBe('received');
  expect(receipt.items.map((i) => i.itemId)).toEqual([item.itemId]);
  const inspected = await admin.warehouse.inspect(item.itemId, {
    quantityReceived: item.quantity,
    condition: 'ok',
    photos: [(await picture('jpeg', 64, 48)).toString('base64')],
    weightG: 500,
  });
  expect(inspected.status).toBe('stored');
  const photo = (await client.logistics.warehouseItem(item.itemId)).photos[0];
  expect((await fetch(photo ?? '')).status).toBe(200);

  const size = measured({ billedWeightG: cheapest.billedWeightG, serviceId: cheapest.freightInfo.serviceId });
  const packed = await admin.shipments.pack(booked.parcelId, { itemIds: [item.itemId], ...size });
  const actual = quote(channelOf(cheapest.freightInfo.serviceId), { ...size, attributes: [] });
  if (!actual.ok) throw new Error('the parcel within the channel’s limits');
  expect(packed).toMatchObject({
    status: 'packed',
    estimate: cheapest.freight,
    actual: actual.quote.freightFen,
    itemIds: [item.itemId],
  });
  expect(packed.settlement?.amount).toBe(actual.quote.freightFen - cheapest.freight);
  expect(packed.storageFee).toBeGreaterThanOrEqual(FEE_PER_DAY);
  // Packing again is refused: the money moved once.
  const twice = await admin.shipments.pack(booked.parcelId, { itemIds: [item.itemId], ...size }).catch((e) => e);
  expect((twice as ApiError).code).toBe(40901);

  await admin.shipments.ship(booked.parcelId, { carrier: 'DHL', trackingNo: `JD${booked.parcelId.slice(-10)}` });
  const delivered = await admin.shipments.deliver(booked.parcelId);
  expect(delivered.status).toBe('delivered');
  const seen = await client.logistics.parcel(booked.parcelId);
  expect(seen).toMatchObject({ status: 'delivered', carrier: 'DHL', itemIds: [item.itemId] });
  expect((await client.logistics.warehouseItem(item.itemId)).status).toBe('shipped');

  expect(await messageTypes(item.itemId)).toEqual([
    'WAREHOUSE_ITEM_EXPECTED',
    'WAREHOUSE_ITEM_RECEIVED',
    'WAREHOUSE_ITEM_INSPECTED',
  ]);
  expect(await messageTypes(booked.parcelId)).toEqual([
    'PARCEL_BOOKED',
    'PARCEL_PACKED',
    'PARCEL_SHIPPED',
    'PARCEL_DELIVERED',
  ]);
  return { booked, packed, item };
}

describe('the logistics walk-through, through the SDK', () => {
  it('Taobao: the parcel weighs more than estimated, and the gap is charged once', async () => {
    const search = await client.taobao.search({ keyword: '', pageSize: 40, pageNo: 1 });
    let sku: { itemId: string; skuId: string } | undefined;
    for (const hit of search.list) {
      const product = await client.taobao.get(String(hit.itemId));
      const s = product.skuList.find((x) => x.quantity >= 5);
      if (product.status !== 'active' || product.beginAmount > 1 || !s) continue;
      sku = { itemId: String(hit.itemId), skuId: s.skuId };
      break;
    }
    if (!sku) throw new Error('a Taobao SKU in stock');
    const order = await client.taobao.orders.create({
      orderLineList: [{ ...sku, quantity: 1 }],
      receiver: RECEIVER,
    });
    await client.taobao.orders.pay(order.orderId);
    const before = (await client.account.balance()).balance;
    const part = order.subPurchaseOrders[0];
    if (!part) throw new Error('a sub purchase order');

    const { booked, packed } = await walkThrough(
      { ...sku, quantity: 1, orderId: order.orderId },
      async () => {
        await admin.sandbox.ship('taobao', part.purchaseOrderOuterId);
      },
      // Two kilograms more than the estimate billed: the real freight is higher.
      (e) => ({ weightG: e.billedWeightG + 2000, lengthCm: 30, widthCm: 20, heightCm: 10 }),
    );
    const gap = (packed.actual ?? 0) - booked.estimate;
    expect(gap).toBeGreaterThan(0);
    expect(packed.settlement).toEqual({ amount: gap, direction: 'charge' });
    expect(await logisticsLedger()).toEqual([
      ['freight_charge', -booked.estimate],
      ['freight_settle', -gap],
      ['storage_fee', -packed.storageFee],
    ]);
    expect((await client.account.balance()).balance).toBe(before - booked.estimate - gap - packed.storageFee);
  });

  it('1688: the parcel weighs less than estimated, and the surplus is refunded once', async () => {
    const before = await logisticsLedger();
    const found = await client.alibaba.search({ pageSize: 50 });
    let offer: { offerId: string; specId: string; quantity: number; serviceId: string } | undefined;
    for (const hit of found.data) {
      const detail = await client.alibaba.detail({ offerId: String(hit.offerId) });
      const sku = detail.productSkuInfos.find((s) => s.amountOnSale >= detail.minOrderQuantity * 2);
      if (detail.status !== 'published' || !sku) continue;
      // Goods heavy enough that a small parcel costs less than their estimate.
      const e = await client.logistics.estimateItem({
        itemId: String(hit.offerId),
        // 1688 names a SKU by its specification id.
        skuId: sku.specId,
        quantity: detail.minOrderQuantity,
        receiverAddress: US,
      });
      const cheapest = e.channels.find((c) => c.available);
      if (!cheapest || cheapest.freight <= channelOf(cheapest.freightInfo.serviceId).firstPriceFen) continue;
      offer = {
        offerId: String(hit.offerId),
        specId: sku.specId,
        quantity: detail.minOrderQuantity,
        serviceId: cheapest.freightInfo.serviceId,
      };
      break;
    }
    if (!offer) throw new Error('a 1688 offer in stock, heavier than a first weight');
    const created = await client.alibaba.orders.create({
      flow: 'general',
      addressParam: ADDRESS,
      cargoParamList: [{ offerId: offer.offerId, specId: offer.specId, quantity: offer.quantity }],
    });
    expect((await client.alibaba.orders.payUrl(created.orderId)).protocolPaySuccess).toBe(true);
    const order = await client.alibaba.orders.get(created.orderId);
    const entry = order.productItems[0];
    const upstream = order.extAttributes.find((x) => x.key === 'upstreamOrderId')?.value;
    if (!entry || !upstream) throw new Error('the sub-order and the marketplace’s order id');
    const balance = (await client.account.balance()).balance;

    const { booked, packed } = await walkThrough(
      { itemId: offer.offerId, skuId: offer.specId, quantity: offer.quantity, orderId: created.orderId },
      async () => {
        await admin.sandbox.ship('1688', upstream);
      },
      // A small, light parcel: one first weight.
      () => ({ weightG: 100, lengthCm: 10, widthCm: 10, heightCm: 5 }),
    );
    const surplus = booked.estimate - (packed.actual ?? 0);
    expect(surplus).toBeGreaterThan(0);
    expect(packed.settlement).toEqual({ amount: -surplus, direction: 'refund' });
    expect((await logisticsLedger()).slice(before.length)).toEqual([
      ['freight_charge', -booked.estimate],
      ['freight_settle', surplus],
      ['storage_fee', -packed.storageFee],
    ]);
    expect((await client.account.balance()).balance).toBe(balance - booked.estimate + surplus - packed.storageFee);
  });

  it('a developer cancels a booking before packing: the estimate comes back once', async () => {
    const search = await client.taobao.search({ keyword: '', pageSize: 10, pageNo: 1 });
    const hit = search.list[0];
    if (!hit) throw new Error('an item');
    const product = await client.taobao.get(String(hit.itemId));
    const skuId = product.skuList[0]?.skuId ?? '';
    const preview = await client.logistics.preview({
      receiverAddress: US,
      renderItems: [
        {
          itemId: String(hit.itemId),
          skuId,
          quantity: 1,
          freightInfo: { serviceId: '', companyName: '', serviceCategory: '' },
        },
      ],
    });
    const cheapest = preview.renderItems[0]?.quotes.find((q) => q.available);
    if (!cheapest) throw new Error('a channel');
    const balance = (await client.account.balance()).balance;
    const { parcels } = await client.logistics.book({
      renderId: preview.renderId,
      receiverAddress: US,
      lineItems: [{ itemId: String(hit.itemId), skuId, quantity: 1, freightInfo: cheapest.freightInfo }],
    });
    const parcel = parcels[0] as Parcel;
    expect((await client.account.balance()).balance).toBe(balance - parcel.estimate);
    const cancelled = await client.logistics.cancelParcel(parcel.parcelId);
    expect(cancelled.status).toBe('cancelled');
    expect((await client.logistics.cancelParcel(parcel.parcelId)).status).toBe('cancelled');
    expect((await client.account.balance()).balance).toBe(balance);
    const page = await client.logistics.parcels({ status: 'cancelled' });
    expect(page.list.map((p) => p.parcelId)).toContain(parcel.parcelId);
  });
});
