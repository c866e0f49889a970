import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PonteAdminClient, PonteClient } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECEIVER, startTaobaoServer, type TaobaoServer } from '../api/orders/taobao-fixtures.js';
import { picture } from '../api/payments/payments-fixtures.js';
import { json, ponte } from './ponte-admin.js';

/** The warehouse's and the parcels' commands against a running server: receive, inspect, pack, ship, deliver. */

interface Item {
  itemId: string;
  status: string;
  trackingNo: string;
  photos: string[];
  weightG: number | null;
  size: { lengthCm: number; widthCm: number; heightCm: number } | null;
}

interface Shipment {
  parcelId: string;
  status: string;
  estimate: number;
  actual: number | null;
  settlement: { amount: number; direction: string } | null;
  itemIds: string[];
  carrier: string | null;
  trackingNo: string | null;
  developId: string;
}

const US = {
  country: 'US',
  name: 'Ofir Birinbaum',
  address: '5818 WHITSETT AVE 401',
  city: 'VALLEY VLG',
  zip: '91607',
};

describe('ponte admin warehouse|shipments', () => {
  let t: TaobaoServer;
  let admin: PonteAdminClient;
  let at: string[];
  let dir: string;

  beforeAll(async () => {
    t = await startTaobaoServer();
    admin = new PonteAdminClient({ baseUrl: t.server.baseUrl, token: t.server.deps.adminToken });
    await admin.topups.create(t.dev.developId, { amount: 10_000_000, reference: 'cli logistics' });
    at = ['--url', t.server.baseUrl, '--token', t.server.deps.adminToken];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-cli-logistics-'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('receive, inspect with a photo, pack, ship and deliver a booked parcel', async () => {
    const client = new PonteClient({ baseUrl: t.server.baseUrl, ...t.dev });
    const sku = t.skus[0];
    if (!sku) throw new Error('a SKU');
    const order = await client.taobao.orders.create({
      orderLineList: [{ itemId: sku.itemId, skuId: sku.skuId, quantity: 1 }],
      receiver: RECEIVER,
    });
    await client.taobao.orders.pay(order.orderId);
    const preview = await client.logistics.preview({
      receiverAddress: US,
      renderItems: [
        {
          itemId: sku.itemId,
          skuId: sku.skuId,
          quantity: 1,
          freightInfo: { serviceId: '1', companyName: '', serviceCategory: '' },
        },
      ],
    });
    const [booked] = (await client.logistics.book({ renderId: preview.renderId, receiverAddress: US })).parcels;
    if (!booked) throw new Error('a parcel');
    await admin.sandbox.ship('taobao', order.subPurchaseOrders[0]?.purchaseOrderOuterId ?? '');
    await t.server.drainOutbox();
    const [expected] = (await client.logistics.warehouseItems({ orderId: order.orderId })).list;
    if (!expected) throw new Error('an expected item');

    const received = json<{ outcome: string; items: Item[] }>(
      await ponte([...at, 'warehouse', 'receive', expected.trackingNo, '--carrier', '中通快递']),
    );
    expect(received.outcome).toBe('received');
    expect(received.items.map((i) => i.itemId)).toEqual([expected.itemId]);
    const listed = json<{ list: Item[] }>(
      await ponte([...at, 'warehouse', 'items', '--tracking', expected.trackingNo, '--status', 'received']),
    );
    expect(listed.list.map((i) => i.itemId)).toEqual([expected.itemId]);

    const photo = path.join(dir, 'box.png');
    fs.writeFileSync(photo, await picture('png', 40, 30));
    const inspected = json<Item>(
      await ponte([
        ...at,
        'warehouse',
        'inspect',
        expected.itemId,
        '--quantity',
        '1',
        '--condition',
        'ok',
        '--photo',
        photo,
        '--weight',
        '640',
        '--size',
        '22x15x8',
      ]),
    );
    expect(inspected).toMatchObject({
      status: 'stored',
      weightG: 640,
      size: { lengthCm: 22, widthCm: 15, heightCm: 8 },
    });
    expect(inspected.photos).toHaveLength(1);
    expect(json<Item>(await ponte([...at, 'warehouse', 'item', expected.itemId])).status).toBe('stored');

    const list = json<{ list: Shipment[] }>(
      await ponte([...at, 'shipments', 'list', '--developer', t.dev.developId, '--status', 'booked']),
    );
    expect(list.list.map((s) => s.parcelId)).toContain(booked.parcelId);
    const packed = json<Shipment>(
      await ponte([
        ...at,
        'shipments',
        'pack',
        booked.parcelId,
        '--item',
        expected.itemId,
        '--weight',
        '700',
        '--size',
        '25x18x10',
      ]),
    );
    expect(packed).toMatchObject({ status: 'packed', itemIds: [expected.itemId] });
    expect(packed.settlement?.amount).toBe((packed.actual ?? 0) - booked.estimate);
    const again = await ponte([
      ...at,
      'shipments',
      'pack',
      booked.parcelId,
      '--item',
      expected.itemId,
      '--weight',
      '700',
      '--size',
      '25x18x10',
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error 40901: /);

    const shipped = json<Shipment>(
      await ponte([...at, 'shipments', 'ship', booked.parcelId, '--carrier', 'DHL', '--tracking', 'JD0001234567']),
    );
    expect(shipped).toMatchObject({ status: 'shipped', carrier: 'DHL', trackingNo: 'JD0001234567' });
    expect(json<Shipment>(await ponte([...at, 'shipments', 'deliver', booked.parcelId])).status).toBe('delivered');
    expect(json<Shipment>(await ponte([...at, 'shipments', 'get', booked.parcelId])).status).toBe('delivered');
  });

  it('an unmatched parcel opens an exception, resolved as returned; bad input is refused before any request', async () => {
    const opened = json<{ outcome: string; exception: { exceptionId: string; status: string } | null }>(
      await ponte([...at, 'warehouse', 'receive', 'YT9999000011112222']),
    );
    expect(opened.outcome).toBe('exception');
    const exceptionId = opened.exception?.exceptionId ?? '';
    const open = json<{ list: { exceptionId: string }[] }>(
      await ponte([...at, 'warehouse', 'exceptions', '--status', 'open']),
    );
    expect(open.list.map((e) => e.exceptionId)).toContain(exceptionId);
    const resolved = json<{ exception: { status: string }; items: unknown[] }>(
      await ponte([...at, 'warehouse', 'resolve', exceptionId, '--return', '--note', 'no such order']),
    );
    expect(resolved).toMatchObject({ exception: { status: 'returned' }, items: [] });

    const neither = await ponte([...at, 'warehouse', 'resolve', exceptionId]);
    expect(neither.code).toBe(1);
    expect(neither.stderr).toContain('--match');
    const size = await ponte([...at, 'shipments', 'pack', 'PP1', '--item', 'WI1', '--weight', '1', '--size', '20x10']);
    expect(size.code).toBe(1);
    expect(size.stderr).toContain('LxWxH');
    const condition = await ponte([...at, 'warehouse', 'inspect', 'WI1', '--quantity', '1', '--condition', 'fine']);
    expect(condition.code).toBe(1);
    expect(condition.stderr).toContain('damaged');
  });
});
