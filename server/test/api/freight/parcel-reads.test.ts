import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../harness.js';
import { expectCode } from '../orders/taobao-fixtures.js';
import { type FreightServer, type FreightSku, type Parcel, startFreightServer } from './freight-fixtures.js';

/**
 * The parcels as developers and the operator read them: a developer sees only its own, a sub-account only those it
 * booked (the main account all of its developer's); another's parcel reads, and cancels, as unknown (40401) and
 * nothing changes; lists filter by status and preview and page.
 */

interface Page {
  total: number;
  pageNo: number;
  pageSize: number;
  list: Parcel[];
}

let f: FreightServer;
let goods: FreightSku;
let mine: Parcel;
let subs: Parcel;
let cancelled: Parcel;
let theirs: Parcel;

async function booked(who: Credentials): Promise<Parcel> {
  const p = await f.render(who, [{ sku: goods, serviceId: '1' }]);
  const r = await f.book(who, { renderId: p.renderId });
  expect(r.body.code, r.text).toBe(200);
  return r.body.data.parcels[0] as Parcel;
}

const list = async (who: Credentials, query = '') => {
  const r = await f.get<Page>(who, `/open/pp/logistics/parcels${query}`);
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
};
const ids = (page: Page) => page.list.map((p) => p.parcelId);

beforeAll(async () => {
  f = await startFreightServer();
  const [s0] = f.skus;
  if (!s0) throw new Error('a SKU');
  goods = await f.freightSku(s0.itemId, s0.skuId);
  await f.topUp(f.dev.developId, 5_000_000);
  await f.topUp(f.other.developId, 5_000_000);
  mine = await booked(f.dev);
  subs = await booked(f.sub);
  cancelled = await booked(f.dev);
  const c = await f.post<Parcel>(f.dev, `/open/pp/logistics/parcels/${cancelled.parcelId}/cancel`, {});
  expect(c.body.code, c.text).toBe(200);
  theirs = await booked(f.other);
}, 120_000);
afterAll(() => f?.close());

describe('parcels: reads and isolation', () => {
  it('lists a developer’s parcels to its main account, a sub-account’s own to it, nothing of another’s', async () => {
    expect(ids(await list(f.dev))).toEqual([cancelled.parcelId, subs.parcelId, mine.parcelId]);
    expect(ids(await list(f.sub))).toEqual([subs.parcelId]);
    expect(ids(await list(f.sibling))).toEqual([]);
    expect(ids(await list(f.other))).toEqual([theirs.parcelId]);
  });

  it('filters by status and preview, and pages', async () => {
    expect(ids(await list(f.dev, '?status=cancelled'))).toEqual([cancelled.parcelId]);
    expect(ids(await list(f.dev, '?status=booked'))).toEqual([subs.parcelId, mine.parcelId]);
    expect(ids(await list(f.dev, `?renderId=${mine.renderId}`))).toEqual([mine.parcelId]);
    expect(ids(await list(f.dev, `?renderId=${theirs.renderId}`))).toEqual([]);
    const page = await list(f.dev, '?pageSize=1&pageNo=2');
    expect(page).toMatchObject({ total: 3, pageNo: 2, pageSize: 1 });
    expect(ids(page)).toEqual([subs.parcelId]);
    expectCode(await f.get(f.dev, '/open/pp/logistics/parcels?status=lost'), 40001, 'status');
  });

  it('reads a parcel only for its developer, and a sub-account’s only for it and the main account', async () => {
    const got = await f.parcel(f.dev, mine.parcelId);
    expect(got.body.code, got.text).toBe(200);
    expect(got.body.data).toEqual(mine);
    expect((await f.parcel(f.dev, subs.parcelId)).body.data).toEqual(subs);
    expect((await f.parcel(f.sub, subs.parcelId)).body.data).toEqual(subs);
    expectCode(await f.parcel(f.sub, mine.parcelId), 40401);
    expectCode(await f.parcel(f.sibling, subs.parcelId), 40401);
    expectCode(await f.parcel(f.other, mine.parcelId), 40401);
    expectCode(await f.parcel(f.dev, theirs.parcelId), 40401);
    expectCode(await f.parcel(f.dev, 'PP1'), 40401);
  });

  it('cancels another’s parcel as unknown, changing nothing', async () => {
    const balance = await f.balance(f.dev);
    for (const [who, parcel] of [
      [f.other, mine],
      [f.sibling, subs],
      [f.sub, mine],
      [f.dev, theirs],
    ] as const) {
      expectCode(await f.post(who, `/open/pp/logistics/parcels/${parcel.parcelId}/cancel`, {}), 40401);
    }
    for (const parcel of [mine, subs, theirs]) {
      expect((await f.shipment(parcel.parcelId)).status).toBe('booked');
      expect(await f.ledger(`freight-cancel:${parcel.parcelId}`)).toBeUndefined();
    }
    expect(await f.balance(f.dev)).toBe(balance);
  });

  it('shows the operator every developer’s parcels, with the developer and sub-account', async () => {
    const all = await f.server.admin<{ total: number; list: (Parcel & { developId: string; userId: string })[] }>(
      'GET',
      '/admin/shipments',
    );
    expect(all.body.code, all.text).toBe(200);
    expect(all.body.data.list.map((p) => p.parcelId)).toEqual([
      theirs.parcelId,
      cancelled.parcelId,
      subs.parcelId,
      mine.parcelId,
    ]);
    const sub = all.body.data.list.find((p) => p.parcelId === subs.parcelId);
    expect(sub).toMatchObject({ developId: f.dev.developId, userId: f.sub.userId, holdReason: null });
    const of = await f.server.admin<{ total: number; list: Parcel[] }>(
      'GET',
      `/admin/shipments?developId=${f.other.developId}&status=booked`,
    );
    expect(of.body.data.list.map((p) => p.parcelId)).toEqual([theirs.parcelId]);
    expectCode(await f.server.admin('GET', '/admin/shipments/PP1'), 40401);
  });
});
