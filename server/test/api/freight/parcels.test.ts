import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParcelSpec, quote } from '../../../src/modules/freight/quote.js';
import { MESSAGE_BODIES, type MessageKindName, messageKindOf } from '../../../src/modules/messages/message-bodies.js';
import { storageOf } from '../../../src/modules/warehouse/index.js';
import type { Credentials } from '../../harness.js';
import { expectLedgerBalanced } from '../../ledger.js';
import { expectCode, type Sku } from '../orders/taobao-fixtures.js';
import {
  DAY,
  type FreightServer,
  type FreightSku,
  freightEntries,
  type Parcel,
  startFreightServer,
  usChannel,
} from './freight-fixtures.js';

/**
 * A parcel from booking to delivery over HTTP: the warehouse's stored goods packed into it, its freight quoted as
 * packed and settled against the estimate exactly once (the gap charged, the surplus refunded, through the ledger
 * under `freight-settle:{parcelId}`) whatever is retried or done concurrently, the goods' storage fees charged, then
 * shipped and delivered; cancelled before packing with the estimate refunded once; each change a PARCEL_* message
 * whose body matches its schema.
 */

let f: FreightServer;
let sku: Sku;
let goods: FreightSku;

beforeAll(async () => {
  f = await startFreightServer();
  await f.topUp(f.dev.developId, 50_000_000);
  sku = f.skus[0] as Sku;
  goods = await f.freightSku(sku.itemId, sku.skuId);
}, 120_000);
afterAll(async () => {
  await expectLedgerBalanced(f.server.deps.database.db);
  await f?.close();
});

/** A parcel of `who` booked on the express line for one unit of the goods. */
async function booked(who: Credentials = f.dev): Promise<Parcel> {
  const p = await f.render(who, [{ sku: goods, serviceId: '1' }]);
  const r = await f.book(who, { renderId: p.renderId });
  expect(r.body.code, r.text).toBe(200);
  return r.body.data.parcels[0] as Parcel;
}

const pack = (parcelId: string, body: unknown, headers: Record<string, string> = {}) =>
  f.server.request<Parcel>('POST', `/admin/shipments/${parcelId}/pack`, {
    body: JSON.stringify(body),
    headers: {
      authorization: `Bearer ${f.server.deps.adminToken}`,
      'content-type': 'application/json',
      ...headers,
    },
  });

/** What the express line charges for a parcel of this size. */
function expressFreight(spec: Omit<ParcelSpec, 'attributes'>, attributes: ParcelSpec['attributes'] = []) {
  const q = quote(usChannel('1'), { ...spec, attributes });
  if (!q.ok) throw new Error('the express line carries it');
  return q.quote;
}

const itemStatus = async (itemId: string) =>
  (await f.server.admin<{ status: string; parcelId: string | null }>('GET', `/admin/warehouse/items/${itemId}`)).body
    .data;

const ajv = new Ajv2020({ strict: false, allErrors: true });
/** The schema as JSON with every object closed (`additionalProperties: false` where it says nothing). */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = closed(v);
  if (out.type === 'object' && 'properties' in out && !('additionalProperties' in out))
    out.additionalProperties = false;
  return out;
}

/** The parcel's messages: their types in order, versions growing, each body valid against its kind's schema. */
async function expectMessages(who: Credentials, parcel: Parcel, types: string[]) {
  const messages = await f.parcelMessages(who, parcel.parcelId);
  expect(messages.map((m) => m.messageType)).toEqual(types);
  for (const [i, m] of messages.entries()) {
    const name = messageKindOf(m.messageType, null);
    expect(name, m.messageType).toBe(m.messageType);
    const schema = JSON.parse(JSON.stringify(MESSAGE_BODIES[name as MessageKindName].schema));
    const validate = ajv.compile(closed(schema) as object);
    expect(validate(m.messageBody), `${m.messageType}: ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(`PARCEL_${String(m.messageBody.event).toUpperCase()}`).toBe(m.messageType);
    expect(m.messageBody.version).toBe(m.version);
    expect(m.version).toBe(i + 1);
  }
  return messages;
}

describe('packing: the settlement against the estimate, once', () => {
  it('charges the gap once under six concurrent pack requests; a retry answers the same, a repeat 40901', async () => {
    const itemId = await f.storedItem(f.dev, sku);
    const parcel = await booked();
    const size = { weightG: 5_000, lengthCm: 40, widthCm: 30, heightCm: 20 };
    const actual = expressFreight(size);
    const gap = actual.freightFen - parcel.estimate;
    expect(gap).toBeGreaterThan(0);
    const before = await f.balance(f.dev);
    const body = { itemIds: [itemId], ...size };
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        pack(parcel.parcelId, body, { 'Idempotency-Key': `pack-${parcel.parcelId}-${i}` }),
      ),
    );
    const won = replies.filter((r) => r.body.code === 200);
    expect(won, replies.map((r) => r.text).join('\n')).toHaveLength(1);
    for (const r of replies.filter((x) => x.body.code !== 200)) expectCode(r, 40901);
    const packed = won[0]?.body.data as Parcel;
    expect(packed).toMatchObject({
      status: 'packed',
      estimate: parcel.estimate,
      actual: actual.freightFen,
      settlement: { amount: gap, direction: 'charge' },
      storageFee: 0,
      measured: { ...size, volumetricWeightG: actual.volumetricWeightG, chargeableWeightG: actual.chargeableWeightG },
      itemIds: [itemId],
      holdReason: null,
    });
    const settle = await f.ledger(`freight-settle:${parcel.parcelId}`);
    expect(settle).toEqual({
      id: packed.transactions.settlement,
      kind: 'freight_settle',
      developId: f.dev.developId,
      entries: freightEntries(f.dev.developId, gap),
    });
    expect(await f.ledgerKeys(`freight-settle:${parcel.parcelId}`)).toHaveLength(1);
    expect(await f.balance(f.dev)).toBe(before - gap);
    expect(await itemStatus(itemId)).toMatchObject({ status: 'packed', parcelId: parcel.parcelId });
    // The winner's retry replays its answer; a new request finds it packed; the money moved once.
    const winner = replies.indexOf(won[0] as (typeof replies)[number]);
    const retry = await pack(parcel.parcelId, body, { 'Idempotency-Key': `pack-${parcel.parcelId}-${winner}` });
    expect(retry.text).toBe(won[0]?.text);
    expectCode(await pack(parcel.parcelId, body), 40901);
    expect(await f.balance(f.dev)).toBe(before - gap);
    const messages = await expectMessages(f.dev, parcel, ['PARCEL_BOOKED', 'PARCEL_PACKED']);
    const { developId: _d, userId: _u, holdReason: _h, ...developerView } = packed as Parcel & Record<string, unknown>;
    expect(messages[1]?.messageBody).toEqual({ event: 'packed', ...developerView });
    expect((await f.parcel(f.dev, parcel.parcelId)).body.data).toEqual(developerView);
  });

  it('refunds the surplus once when the parcel is lighter than estimated; nothing moves when equal', async () => {
    const itemId = await f.storedItem(f.dev, sku);
    const parcel = await booked();
    const size = { weightG: 100, lengthCm: 10, widthCm: 10, heightCm: 5 };
    const actual = expressFreight(size);
    const surplus = parcel.estimate - actual.freightFen;
    expect(surplus).toBeGreaterThan(0);
    const before = await f.balance(f.dev);
    const r = await pack(parcel.parcelId, { itemIds: [itemId], ...size });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.settlement).toEqual({ amount: -surplus, direction: 'refund' });
    expect((await f.ledger(`freight-settle:${parcel.parcelId}`))?.entries).toEqual(
      freightEntries(f.dev.developId, -surplus),
    );
    expect(await f.balance(f.dev)).toBe(before + surplus);
    expectCode(await pack(parcel.parcelId, { itemIds: [itemId], ...size }), 40901);
    expect(await f.balance(f.dev)).toBe(before + surplus);

    // Measured as the preview stacked it: the freight is the estimate, and no settlement is posted.
    const same = await f.storedItem(f.dev, sku);
    const exact = await booked();
    const spec = goods.parcel(1);
    const balance = await f.balance(f.dev);
    const r2 = await pack(exact.parcelId, {
      itemIds: [same],
      weightG: spec.weightG,
      lengthCm: spec.lengthCm,
      widthCm: spec.widthCm,
      heightCm: spec.heightCm,
    });
    expect(r2.body.code, r2.text).toBe(200);
    expect(r2.body.data).toMatchObject({ actual: exact.estimate, settlement: { amount: 0, direction: 'none' } });
    expect(r2.body.data.transactions.settlement).toBeNull();
    expect(await f.ledger(`freight-settle:${exact.parcelId}`)).toBeUndefined();
    expect(await f.balance(f.dev)).toBe(balance);
  });

  it('answers 42201 when the balance does not cover the gap: nothing packed, the reason kept; packs once topped up', async () => {
    const who = f.other;
    await f.topUp(who.developId, sku.priceFen * 2 + 100_000);
    const itemId = await f.storedItem(who, sku);
    const parcel = await booked(who);
    const size = { weightG: 20_000, lengthCm: 60, widthCm: 50, heightCm: 40 };
    const gap = expressFreight(size).freightFen - parcel.estimate;
    const balance = await f.balance(who);
    expect(gap).toBeGreaterThan(balance);
    const r = await pack(parcel.parcelId, { itemIds: [itemId], ...size });
    expectCode(r, 42201);
    expect(await f.balance(who)).toBe(balance);
    expect(await f.ledger(`freight-settle:${parcel.parcelId}`)).toBeUndefined();
    expect(await itemStatus(itemId)).toMatchObject({ status: 'stored', parcelId: null });
    const held = await f.shipment(parcel.parcelId);
    expect(held).toMatchObject({ status: 'booked', actual: null, settlement: null, itemIds: [], version: 1 });
    expect(held.holdReason).toBe(`the balance does not cover the freight gap of ${gap} fen`);
    await expectMessages(who, parcel, ['PARCEL_BOOKED']);

    await f.topUp(who.developId, gap - balance);
    const ok = await pack(parcel.parcelId, { itemIds: [itemId], ...size });
    expect(ok.body.code, ok.text).toBe(200);
    expect(ok.body.data).toMatchObject({ status: 'packed', holdReason: null, settlement: { amount: gap } });
    expect(await f.balance(who)).toBe(0);
  });

  it('charges the goods’ storage past the free days once, with the pack', async () => {
    const itemId = await f.storedItem(f.dev, sku);
    await f.advance(33 * DAY);
    const parcel = await booked();
    const item = await f.server.deps.database.db
      .selectFrom('warehouse_items')
      .selectAll()
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    const fee = storageOf(item, f.clock.now(), f.server.deps.config.warehouse).feeFen;
    expect(fee).toBeGreaterThan(0);
    const spec = goods.parcel(1);
    const before = await f.balance(f.dev);
    const r = await pack(parcel.parcelId, { itemIds: [itemId], ...spec, attributes: undefined });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ storageFee: fee, settlement: { amount: 0 } });
    expect((await f.ledger(`storage:${itemId}`))?.entries).toEqual([
      { account: `developer:${f.dev.developId}:balance`, amountFen: -fee },
      { account: 'warehouse:storage', amountFen: fee },
    ]);
    expect(await f.balance(f.dev)).toBe(before - fee);
    const [, packed] = await expectMessages(f.dev, parcel, ['PARCEL_BOOKED', 'PARCEL_PACKED']);
    expect(packed?.messageBody.storageFee).toBe(fee);
  });

  it('refuses goods that are not the booking’s, not stored, named twice or unknown, and a parcel the channel does not carry', async () => {
    const parcel = await booked();
    const stored = await f.storedItem(f.dev, sku);
    const otherGoods = await f.storedItem(f.dev, f.skus[1] as Sku);
    await f.topUp(f.other.developId, sku.priceFen * 2);
    const theirs = await f.storedItem(f.other, sku);
    const size = { weightG: 500, lengthCm: 20, widthCm: 20, heightCm: 10 };
    expectCode(await pack(parcel.parcelId, { itemIds: [otherGoods], ...size }), 40001, 'itemIds[0]');
    expectCode(await pack(parcel.parcelId, { itemIds: [stored, stored], ...size }), 40001, 'itemIds[1]');
    expectCode(await pack(parcel.parcelId, { itemIds: [theirs], ...size }), 40001, 'itemIds[0]');
    expectCode(await pack(parcel.parcelId, { itemIds: ['WI1'], ...size }), 40001, 'itemIds[0]');
    // Over the express line's 30 kg: refused with its reason, recorded for the operator.
    const heavy = await pack(parcel.parcelId, { itemIds: [stored], ...size, weightG: 31_000 });
    expectCode(heavy, 40001, 'weightG');
    expect(heavy.body.msg).toContain('heavier than the channel’s 30000 g');
    expect((await f.shipment(parcel.parcelId)).holdReason).toContain('does not carry the parcel');
    // Goods the inspection found to hold a liquid: the express line refuses liquids.
    const wet = await f.storedItem(f.dev, sku, 1, { attributes: ['liquid'] });
    const liquid = await pack(parcel.parcelId, { itemIds: [wet], ...size });
    expectCode(liquid, 40001, 'itemIds');
    expect(liquid.body.msg).toContain('liquid');
    // An item packed already is not stored.
    const ok = await pack(parcel.parcelId, { itemIds: [stored], ...size });
    expect(ok.body.code, ok.text).toBe(200);
    const again = await booked();
    expectCode(await pack(again.parcelId, { itemIds: [stored], ...size }), 40901);
    expectCode(await pack('PP1', { itemIds: [stored], ...size }), 40401);
  });
});

describe('shipping, delivery and cancellation', () => {
  it('ships a packed parcel with its goods, then delivers it; each step once, in order', async () => {
    const itemId = await f.storedItem(f.dev, sku);
    const parcel = await booked();
    expectCode(
      await f.server.admin('POST', `/admin/shipments/${parcel.parcelId}/ship`, {
        carrier: 'YunExpress',
        trackingNo: 'YT1',
      }),
      40901,
    );
    expectCode(await f.server.admin('POST', `/admin/shipments/${parcel.parcelId}/deliver`), 40901);
    const spec = goods.parcel(1);
    expect((await pack(parcel.parcelId, { itemIds: [itemId], ...spec, attributes: undefined })).body.code).toBe(200);
    const shipped = await f.server.admin<Parcel>('POST', `/admin/shipments/${parcel.parcelId}/ship`, {
      carrier: 'YunExpress',
      trackingNo: 'YT2412345678901',
    });
    expect(shipped.body.code, shipped.text).toBe(200);
    expect(shipped.body.data).toMatchObject({
      status: 'shipped',
      carrier: 'YunExpress',
      trackingNo: 'YT2412345678901',
    });
    expect(await itemStatus(itemId)).toMatchObject({ status: 'shipped' });
    expectCode(
      await f.server.admin('POST', `/admin/shipments/${parcel.parcelId}/ship`, { carrier: 'X', trackingNo: 'Y' }),
      40901,
    );
    expectCode(await f.server.admin('POST', `/admin/shipments/${parcel.parcelId}/cancel`), 40901);
    expectCode(await f.post(f.dev, `/open/pp/logistics/parcels/${parcel.parcelId}/cancel`, {}), 40901);
    const delivered = await f.server.admin<Parcel>('POST', `/admin/shipments/${parcel.parcelId}/deliver`);
    expect(delivered.body.code, delivered.text).toBe(200);
    expect(delivered.body.data.status).toBe('delivered');
    expect(delivered.body.data.history.map((h) => [h.fromStatus, h.toStatus, h.cause])).toEqual([
      [null, 'booked', 'api:book'],
      ['booked', 'packed', 'admin:pack'],
      ['packed', 'shipped', 'admin:ship'],
      ['shipped', 'delivered', 'admin:deliver'],
    ]);
    expectCode(await f.server.admin('POST', `/admin/shipments/${parcel.parcelId}/deliver`), 40901);
    await expectMessages(f.dev, parcel, ['PARCEL_BOOKED', 'PARCEL_PACKED', 'PARCEL_SHIPPED', 'PARCEL_DELIVERED']);
  });

  it('cancels a booked parcel, refunding its estimate once; a packed one answers 40901', async () => {
    const parcel = await booked(f.sub);
    const before = await f.balance(f.dev);
    const r = await f.post<Parcel>(f.sub, `/open/pp/logistics/parcels/${parcel.parcelId}/cancel`, {});
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ status: 'cancelled', version: 2 });
    const refund = await f.ledger(`freight-cancel:${parcel.parcelId}`);
    expect(refund).toEqual({
      id: r.body.data.transactions.cancellation,
      kind: 'freight_refund',
      developId: f.dev.developId,
      entries: freightEntries(f.dev.developId, -parcel.estimate),
    });
    expect(await f.balance(f.dev)).toBe(before + parcel.estimate);
    // Again, by the developer or the operator: the parcel as it is, no money.
    const again = await f.post<Parcel>(f.dev, `/open/pp/logistics/parcels/${parcel.parcelId}/cancel`, {});
    expect(again.body.data).toEqual(r.body.data);
    const byOperator = await f.server.admin<Parcel>('POST', `/admin/shipments/${parcel.parcelId}/cancel`);
    expect(byOperator.body.data.version).toBe(2);
    expect(await f.balance(f.dev)).toBe(before + parcel.estimate);
    await expectMessages(f.sub, parcel, ['PARCEL_BOOKED', 'PARCEL_CANCELLED']);

    // The operator cancels another; then a packed one cannot be.
    const second = await booked();
    const cancelled = await f.server.admin<Parcel>('POST', `/admin/shipments/${second.parcelId}/cancel`);
    expect(cancelled.body.data.status).toBe('cancelled');
    expect(cancelled.body.data.history.at(-1)?.cause).toBe('admin:cancel');
    expect((await f.ledger(`freight-cancel:${second.parcelId}`))?.entries).toEqual(
      freightEntries(f.dev.developId, -second.estimate),
    );
    const itemId = await f.storedItem(f.dev, sku);
    const third = await booked();
    const spec = goods.parcel(1);
    expect((await pack(third.parcelId, { itemIds: [itemId], ...spec, attributes: undefined })).body.code).toBe(200);
    expectCode(await f.post(f.dev, `/open/pp/logistics/parcels/${third.parcelId}/cancel`, {}), 40901);
    expectCode(await f.server.admin('POST', `/admin/shipments/${third.parcelId}/cancel`), 40901);
    expect(await f.ledger(`freight-cancel:${third.parcelId}`)).toBeUndefined();
    // A cancelled parcel is not packed.
    const item2 = await f.storedItem(f.dev, sku);
    expectCode(await pack(second.parcelId, { itemIds: [item2], ...spec, attributes: undefined }), 40901);
  });
});
