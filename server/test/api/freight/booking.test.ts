import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote } from '../../../src/modules/freight/quote.js';
import { expectLedgerBalanced } from '../../ledger.js';
import { expectCode } from '../orders/taobao-fixtures.js';
import {
  type Booking,
  DAY,
  type FreightServer,
  type FreightSku,
  freightEntries,
  type Preview,
  postSignedInQuery,
  startFreightServer,
  US,
  usChannel,
} from './freight-fixtures.js';

/**
 * W4 over HTTP: a preview booked into one parcel per channel, each charged its estimate once through the ledger
 * (`freight-book:{parcelId}`), whatever is retried or done concurrently; refused when the preview expired, is someone
 * else's, or the balance does not cover it (nothing booked); lines that are not the preview's named in 40001.
 */

let f: FreightServer;
/** Goods both US sample channels carry, and goods only express carries. */
let small: FreightSku;
let big: FreightSku;

const TOP_UP = 5_000_000;

beforeAll(async () => {
  f = await startFreightServer();
  await f.topUp(f.dev.developId, TOP_UP);
  small = await f.findSku((s) => s.attributes.length === 0 && quote(usChannel('2'), s.parcel(1)).ok);
  const [s0] = f.skus;
  if (!s0) throw new Error('a SKU');
  big = await f.freightSku(s0.itemId, s0.skuId);
}, 120_000);
afterAll(async () => {
  await expectLedgerBalanced(f.server.deps.database.db);
  await f?.close();
});

const freightOf = (p: Preview, line: number, serviceId: string) =>
  p.renderItems[line]?.quotes.find((q) => q.freightInfo.serviceId === serviceId)?.freight as number;

/** The parcel ids of a successful booking. */
function parcelIds(r: { body: { code: number; data: Booking }; text: string }): string[] {
  expect(r.body.code, r.text).toBe(200);
  return r.body.data.parcels.map((p) => p.parcelId);
}

describe('W4: booking a preview', () => {
  it('books the lines on the channel each asked for, charging the estimate once from the balance', async () => {
    const p = await f.render(f.dev, [
      { sku: big, serviceId: '1' },
      { sku: small, quantity: 2, serviceId: '1' },
    ]);
    const before = await f.balance(f.dev);
    const r = await f.book(f.dev, {
      renderId: p.renderId,
      receiverAddress: US,
      tmallOrderInfo: { tmallOrderId: 'T-1' },
      remark: 'fragile',
    });
    expect(r.body.code, r.text).toBe(200);
    const [parcel] = r.body.data.parcels;
    if (!parcel) throw new Error('a parcel');
    expect(r.body.data.parcels).toHaveLength(1);
    const estimate = freightOf(p, 0, '1') + freightOf(p, 1, '1');
    expect(p.estimate).toBe(estimate);
    expect(parcel).toMatchObject({
      renderId: p.renderId,
      status: 'booked',
      estimate,
      actual: null,
      settlement: null,
      storageFee: 0,
      tmallOrderId: 'T-1',
      remark: 'fragile',
      receiverAddress: US,
      itemIds: [],
      version: 1,
    });
    expect(parcel.parcelId).toMatch(/^PP[0-9]+$/);
    expect(parcel.channel.freightInfo.serviceId).toBe('1');
    expect(parcel.lines.map((l) => [l.itemId, l.skuId, l.quantity, l.estimate])).toEqual([
      [big.itemId, big.skuId, 1, freightOf(p, 0, '1')],
      [small.itemId, small.skuId, 2, freightOf(p, 1, '1')],
    ]);
    expect(parcel.history.map((h) => [h.fromStatus, h.toStatus, h.cause])).toEqual([[null, 'booked', 'api:book']]);
    const charge = await f.ledger(`freight-book:${parcel.parcelId}`);
    expect(charge).toEqual({
      id: parcel.transactions.booking,
      kind: 'freight_charge',
      developId: f.dev.developId,
      entries: freightEntries(f.dev.developId, estimate),
    });
    expect(await f.balance(f.dev)).toBe(before - estimate);
    const messages = await f.parcelMessages(f.dev, parcel.parcelId);
    expect(messages.map((m) => [m.messageType, m.version])).toEqual([['PARCEL_BOOKED', 1]]);
    expect(messages[0]?.messageBody).toEqual({ event: 'booked', ...parcel });
  });

  it('answers the same to an Idempotency-Key retry, and a second booking of the preview the same parcels, charging nothing more', async () => {
    const p = await f.render(f.dev, [{ sku: small, serviceId: '1' }]);
    const key = { 'Idempotency-Key': `book-${randomBytes(6).toString('hex')}` };
    const body = { renderId: p.renderId };
    const first = await f.book(f.dev, body, key);
    const ids = parcelIds(first);
    const after = await f.balance(f.dev);
    const retry = await f.book(f.dev, body, key);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
    // Without a key, naming the lines this time: the same parcel, as it is now.
    const again = await f.book(f.dev, {
      renderId: p.renderId,
      lineItems: [{ itemId: small.itemId, skuId: small.skuId, quantity: 1, freightInfo: { serviceId: '1' } }],
    });
    expect(parcelIds(again)).toEqual(ids);
    expect(again.body.data.parcels[0]?.transactions.booking).toBe(first.body.data.parcels[0]?.transactions.booking);
    expect(await f.balance(f.dev)).toBe(after);
    expect(await f.ledgerKeys(`freight-book:${ids[0]}`)).toEqual([`freight-book:${ids[0]}`]);
    const list = await f.get<{ total: number; list: { parcelId: string }[] }>(
      f.dev,
      `/open/pp/logistics/parcels?renderId=${p.renderId}`,
    );
    expect(list.body.data.total).toBe(1);
  });

  it('books one parcel per channel, each charged the sum of its lines’ quotes', async () => {
    const p = await f.render(f.dev, [{ sku: big }, { sku: small }, { sku: small, quantity: 2 }]);
    const before = await f.balance(f.dev);
    const r = await f.book(f.dev, {
      renderId: p.renderId,
      lineItems: [
        { itemId: small.itemId, skuId: small.skuId, quantity: 2, freightInfo: { serviceId: '2' } },
        { itemId: big.itemId, skuId: big.skuId, quantity: 1, freightInfo: { serviceId: '1' } },
        { itemId: small.itemId, skuId: small.skuId, quantity: 1, freightInfo: { serviceId: '2' } },
      ],
    });
    expect(r.body.code, r.text).toBe(200);
    const [economy, express] = r.body.data.parcels;
    expect(r.body.data.parcels).toHaveLength(2);
    expect(economy?.channel.freightInfo.serviceId).toBe('2');
    expect(economy?.estimate).toBe(freightOf(p, 2, '2') + freightOf(p, 1, '2'));
    expect(economy?.lines.map((l) => l.quantity)).toEqual([2, 1]);
    expect(express?.channel.freightInfo.serviceId).toBe('1');
    expect(express?.estimate).toBe(freightOf(p, 0, '1'));
    for (const parcel of r.body.data.parcels) {
      expect((await f.ledger(`freight-book:${parcel.parcelId}`))?.entries).toEqual(
        freightEntries(f.dev.developId, parcel.estimate),
      );
    }
    expect(await f.balance(f.dev)).toBe(before - (economy?.estimate ?? 0) - (express?.estimate ?? 0));
    // A line booked on one channel cannot go on another; other lines on a booked channel conflict too.
    const moved = await f.book(f.dev, {
      renderId: p.renderId,
      lineItems: [{ itemId: small.itemId, skuId: small.skuId, quantity: 1, freightInfo: { serviceId: '1' } }],
    });
    expectCode(moved, 40901);
    const fewer = await f.book(f.dev, {
      renderId: p.renderId,
      lineItems: [{ itemId: small.itemId, skuId: small.skuId, quantity: 2, freightInfo: { serviceId: '2' } }],
    });
    expectCode(fewer, 40901);
    expect(fewer.body.msg).toContain(economy?.parcelId);
  });

  it('books once under eight concurrent bookings of one preview with different keys: one parcel, one charge', async () => {
    const p = await f.render(f.dev, [{ sku: big, serviceId: '1' }]);
    const before = await f.balance(f.dev);
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        f.book(f.dev, { renderId: p.renderId }, { 'Idempotency-Key': `c-${p.renderId}-${i}` }),
      ),
    );
    const ids = new Set(replies.flatMap((r) => parcelIds(r)));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(await f.ledgerKeys(`freight-book:${id}`)).toEqual([`freight-book:${id}`]);
    expect(await f.balance(f.dev)).toBe(before - freightOf(p, 0, '1'));
    const rows = await f.server.deps.database.db
      .selectFrom('shipments')
      .select('id')
      .where('render_id', '=', p.renderId)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('answers 42201 when the balance does not cover the estimate, and books nothing', async () => {
    const poor = await f.server.createDeveloper('Poor reseller');
    const p = await f.render(poor, [{ sku: big, serviceId: '1' }]);
    const estimate = p.estimate as number;
    await f.topUp(poor.developId, estimate - 1);
    const r = await f.book(poor, { renderId: p.renderId });
    expectCode(r, 42201);
    expect(await f.balance(poor)).toBe(estimate - 1);
    const rows = await f.server.deps.database.db
      .selectFrom('shipments')
      .select('id')
      .where('render_id', '=', p.renderId)
      .execute();
    expect(rows).toEqual([]);
    const messages = await f.get<{ messages: unknown[] }>(poor, '/open/message/list?pageSize=50');
    expect(messages.body.data.messages).toEqual([]);
    // With a fen more it books, and the balance is spent to 0.
    await f.topUp(poor.developId, 1);
    const ok = await f.book(poor, { renderId: p.renderId });
    expect(ok.body.code, ok.text).toBe(200);
    expect(await f.balance(poor)).toBe(0);
  });

  it('refuses an expired preview (40901 saying when), but answers the parcels booked before it expired', async () => {
    const booked = await f.render(f.dev, [{ sku: small, serviceId: '1' }]);
    const ids = parcelIds(await f.book(f.dev, { renderId: booked.renderId }));
    const late = await f.render(f.dev, [{ sku: small, serviceId: '1' }]);
    await f.advance(DAY);
    const r = await f.book(f.dev, { renderId: late.renderId });
    expectCode(r, 40901);
    expect(r.body.msg).toContain('expired at');
    expect(r.body.msg).toContain(new Date(late.expireTime).toISOString());
    expect(parcelIds(await f.book(f.dev, { renderId: booked.renderId }))).toEqual(ids);
  });

  it('answers 40001 for lines that are not the preview’s or on a channel that was not quoted or refuses them', async () => {
    const p = await f.render(f.dev, [{ sku: big }, { sku: small, serviceId: '1' }]);
    const line = (itemId: string, skuId: string, quantity: number, serviceId?: string) => ({
      itemId,
      skuId,
      quantity,
      ...(serviceId === undefined ? {} : { freightInfo: { serviceId, companyName: '', serviceCategory: '' } }),
    });
    const book = (lineItems: unknown[]) => f.book(f.dev, { renderId: p.renderId, lineItems });
    expectCode(await book([line(big.itemId, big.skuId, 3, '1')]), 40001, 'lineItems[0]');
    expectCode(
      await book([line(small.itemId, small.skuId, 1), line(small.itemId, small.skuId, 1)]),
      40001,
      'lineItems[1]',
    );
    // The first line asked for no channel: one must be named; the big goods do not fit the economy line.
    expectCode(await book([line(big.itemId, big.skuId, 1)]), 40001, 'lineItems[0].freightInfo.serviceId');
    expectCode(await book([line(big.itemId, big.skuId, 1, '2')]), 40001, 'lineItems[0]');
    expectCode(await book([line(small.itemId, small.skuId, 1, '2')]), 40001, 'lineItems[0]');
    // With no lines named, every line on the channel it asked: the first asked for none.
    expectCode(await f.book(f.dev, { renderId: p.renderId }), 40001, 'lineItems');
    expectCode(await f.book(f.dev, { renderId: null }), 40001, 'renderId');
    expectCode(
      await f.book(f.dev, { renderId: p.renderId, receiverAddress: { ...US, country: 'GB' } }),
      40001,
      'receiverAddress.country',
    );
    expectCode(await f.book(f.dev, { renderId: 'FF2024080200007' }), 40401);
    // Nothing was booked by any of these.
    const list = await f.get<{ total: number }>(f.dev, `/open/pp/logistics/parcels?renderId=${p.renderId}`);
    expect(list.body.data.total).toBe(0);
  });

  it('books another developer’s or a sibling sub-account’s preview as unknown (40401); the main account books its sub-account’s', async () => {
    const mine = await f.render(f.dev, [{ sku: small, serviceId: '1' }]);
    expectCode(await f.book(f.other, { renderId: mine.renderId }), 40401);
    expectCode(await f.book(f.sub, { renderId: mine.renderId }), 40401);
    const subs = await f.render(f.sub, [{ sku: small, serviceId: '1' }]);
    expectCode(await f.book(f.sibling, { renderId: subs.renderId }), 40401);
    const r = await f.book(f.dev, { renderId: subs.renderId });
    expect(r.body.code, r.text).toBe(200);
    // The parcel belongs with the preview: the sub-account sees it, its sibling does not.
    const id = r.body.data.parcels[0]?.parcelId as string;
    expect((await f.parcel(f.sub, id)).body.code).toBe(200);
    expectCode(await f.parcel(f.sibling, id), 40401);
  });

  it('takes the system parameters in the query, `sign` for `signature`', async () => {
    const p = await f.render(f.dev, [{ sku: small, serviceId: '1' }]);
    const path = '/open/pp/logistics/orderBookingFreight';
    const env = await postSignedInQuery<Booking>(
      f.server.baseUrl,
      f.dev,
      path,
      { renderId: p.renderId },
      f.clock.now(),
    );
    expect(env.code).toBe(200);
    expect(env.data.parcels).toHaveLength(1);
  });
});
