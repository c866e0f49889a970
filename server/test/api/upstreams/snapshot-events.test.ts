import { describe, expect, it } from 'vitest';
import { orderSnapshotEvents, refundSnapshotEvent } from '../../../src/modules/upstreams/snapshot-events.js';
import type { UpstreamOrder, UpstreamOrderLine, UpstreamRefund } from '../../../src/providers/types.js';

const T0 = Date.UTC(2026, 0, 5, 8);
const zh = (text: string) => ({ zh: text, en: text, vi: text, th: text, es: text });

function line(lineId: string, shipment: UpstreamOrderLine['shipment'] = null): UpstreamOrderLine {
  return {
    lineId,
    productId: 'p1',
    skuId: 's1',
    title: zh('商品'),
    skuProperties: [],
    imageUrl: '',
    quantity: 1,
    unitPriceFen: 1000,
    amountFen: 1000,
    status: shipment ? 'wait_buyer_receive' : 'wait_seller_send',
    shipment,
    refundedFen: 0,
  };
}

function order(over: Partial<UpstreamOrder> = {}): UpstreamOrder {
  return {
    platform: '1688',
    orderId: '240000000000000001',
    buyerId: 'b2b-1',
    clientRef: 'ref-1',
    shopId: 'shop-1',
    shopName: zh('店'),
    sellerOpenId: null,
    status: 'wait_seller_send',
    lines: [line('L1'), line('L2')],
    goodsFen: 2000,
    shippingFen: 500,
    adjustFen: 0,
    totalFen: 2500,
    address: { receiver: 'a', phone: '1', province: 'p', city: 'c', district: 'd', address: 'x' },
    buyerMessage: '',
    createdAt: T0,
    paidAt: T0 + 1,
    shippedAt: null,
    receivedAt: null,
    closedAt: null,
    closeReason: null,
    ...over,
  };
}

function refund(over: Partial<UpstreamRefund> = {}): UpstreamRefund {
  return {
    platform: '1688',
    refundId: 'TQ1',
    orderId: '240000000000000001',
    lineId: 'L1',
    buyerId: 'b2b-1',
    clientRef: '',
    refundType: 'refund',
    goodsStatus: 'received',
    status: 'wait_seller_agree',
    reason: { reasonId: 'r1', text: zh('质量问题'), needsProof: false },
    amountFen: 1000,
    description: '',
    images: [],
    deadline: null,
    timeoutAction: null,
    returnAddress: null,
    returnShipment: null,
    refuseReason: null,
    refuseCount: 0,
    createdAt: T0 + 10,
    updatedAt: T0 + 20,
    ...over,
  };
}

const shipment = (trackingNo: string, shippedAt: number) => ({
  carrierCode: 'SF',
  carrierName: '顺丰',
  trackingNo,
  shippedAt,
});

describe('snapshot events of an upstream order', () => {
  it('makes nothing of an order that is where Ponte left it', () => {
    expect(orderSnapshotEvents(order(), [], { now: T0 })).toEqual([]);
    expect(orderSnapshotEvents(order({ status: 'wait_buyer_pay' }), [], { now: T0, recordedTotalFen: 2500 })).toEqual(
      [],
    );
  });

  it('reports a price change before payment, named by the new total', () => {
    const changed = order({ status: 'wait_buyer_pay', adjustFen: -300, totalFen: 2200 });
    const [e, ...rest] = orderSnapshotEvents(changed, [], { now: T0 + 5 });
    expect(rest).toEqual([]);
    expect(e).toEqual({
      eventId: 'order:240000000000000001:price:2200',
      platform: '1688',
      type: 'order.price_modified',
      at: T0 + 5,
      orderId: '240000000000000001',
      refundId: null,
      productId: null,
      data: { newTotalFen: 2200, adjustFen: -300 },
    });
    // Put back to the original: no adjustment left, but not what Ponte recorded.
    const back = orderSnapshotEvents(order({ status: 'wait_buyer_pay' }), [], { now: T0, recordedTotalFen: 2200 });
    expect(back.map((x) => x.eventId)).toEqual(['order:240000000000000001:price:2500']);
    // After payment the price is settled.
    expect(orderSnapshotEvents(order({ adjustFen: -300, totalFen: 2200 }), [], { now: T0 })).toEqual([]);
  });

  it('reports one shipment per parcel with its lines, the earliest first', () => {
    const shipped = order({
      status: 'wait_buyer_receive',
      lines: [
        line('L1', shipment('SF2', T0 + 50)),
        line('L2', shipment('SF1', T0 + 40)),
        line('L3', shipment('SF2', T0 + 50)),
      ],
    });
    const events = orderSnapshotEvents(shipped, [], { now: T0 + 99 });
    expect(events.map((e) => [e.eventId, e.type, e.at, e.data.lineIds])).toEqual([
      ['order:240000000000000001:shipped:SF1', 'order.shipped', T0 + 40, ['L2']],
      ['order:240000000000000001:shipped:SF2', 'order.shipped', T0 + 50, ['L1', 'L3']],
    ]);
    expect(events[0]?.data).toEqual({ lineIds: ['L2'], carrierCode: 'SF', carrierName: '顺丰', trackingNo: 'SF1' });
  });

  it('gives the same ids for the same state whenever it is read', () => {
    const shipped = order({ status: 'finished', receivedAt: T0 + 70, lines: [line('L1', shipment('SF1', T0 + 40))] });
    const a = orderSnapshotEvents(shipped, [], { now: T0 + 100 });
    const b = orderSnapshotEvents(shipped, [], { now: T0 + 999 });
    expect(a.map((e) => e.eventId)).toEqual(b.map((e) => e.eventId));
    expect(a).toEqual(b);
    expect(a.map((e) => e.type)).toEqual(['order.shipped', 'order.finished']);
    expect(a[1]?.at).toBe(T0 + 70);
  });

  it('orders the lifecycle: price, parcels, refunds, finished, closed', () => {
    const closed = order({
      status: 'closed',
      closedAt: T0 + 90,
      closeReason: 'seller: out of stock',
      lines: [line('L1', shipment('SF1', T0 + 40)), line('L2')],
    });
    const events = orderSnapshotEvents(
      closed,
      [
        refund({ refundId: 'TQ2', status: 'closed', updatedAt: T0 + 80 }),
        refund({ status: 'success', updatedAt: T0 + 60 }),
      ],
      { now: T0 + 100 },
    );
    expect(events.map((e) => e.eventId)).toEqual([
      'order:240000000000000001:shipped:SF1',
      'refund:TQ1:success:0',
      'refund:TQ2:closed:0',
      'order:240000000000000001:closed',
    ]);
    expect(events[3]).toMatchObject({ type: 'order.closed', at: T0 + 90, data: { reason: 'seller: out of stock' } });
  });
});

describe('snapshot events of a refund', () => {
  const o = order();

  it('makes nothing of the states only the buyer’s own requests lead to', () => {
    expect(refundSnapshotEvent(o, refund())).toBeNull();
    expect(refundSnapshotEvent(o, refund({ status: 'wait_seller_receive' }))).toBeNull();
  });

  it('tells refusals apart by their count, with the reason and the deadline', () => {
    const first = refundSnapshotEvent(
      o,
      refund({
        status: 'seller_refused',
        refuseCount: 1,
        refuseReason: '已发货',
        deadline: T0 + 500,
        timeoutAction: 'close',
      }),
    );
    expect(first).toEqual({
      eventId: 'refund:TQ1:seller_refused:1',
      platform: '1688',
      type: 'refund.refused',
      at: T0 + 20,
      orderId: '240000000000000001',
      refundId: 'TQ1',
      productId: null,
      data: {
        status: 'seller_refused',
        lineId: 'L1',
        deadline: T0 + 500,
        timeoutAction: 'close',
        refuseCount: 1,
        refuseReason: '已发货',
      },
    });
    expect(refundSnapshotEvent(o, refund({ status: 'seller_refused', refuseCount: 2 }))?.eventId).toBe(
      'refund:TQ1:seller_refused:2',
    );
  });

  it('reports an agreed return with where the parcel goes, a success, a close', () => {
    const address = { receiver: '卖家', phone: '1', province: 'p', city: 'c', district: 'd', address: 'x' };
    expect(
      refundSnapshotEvent(
        o,
        refund({ refundType: 'return_refund', status: 'wait_buyer_return', returnAddress: address }),
      ),
    ).toMatchObject({ type: 'refund.agreed', data: { status: 'wait_buyer_return', returnAddress: address } });
    expect(refundSnapshotEvent(o, refund({ status: 'success' }))).toMatchObject({
      eventId: 'refund:TQ1:success:0',
      type: 'refund.succeeded',
      data: { status: 'success', amountFen: 1000 },
    });
    expect(refundSnapshotEvent(o, refund({ status: 'closed' }))).toMatchObject({
      eventId: 'refund:TQ1:closed:0',
      type: 'refund.closed',
    });
  });
});
