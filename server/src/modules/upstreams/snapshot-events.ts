import type {
  UpstreamEvent,
  UpstreamEventType,
  UpstreamOrder,
  UpstreamOrderLine,
  UpstreamRefund,
} from '../../providers/types.js';

/**
 * A real upstream's pushes name what changed, not how (docs/adr/0016-real-upstreams.md): Ponte re-reads the order
 * and its refunds and turns what it reads now into the events that bring its records there. The same read made by
 * a push and by the reconciliation gives the same event ids, derived from the object, the state and the facts that
 * set the state apart (the total of a price change, the tracking number of a parcel, the refusal count of a
 * refusal), so the inbox records one and drops the other. The handlers already ignore an event that does not move
 * their record, so an event for a state Ponte already has changes nothing.
 */

export interface SnapshotOptions {
  /** When the order was read (epoch ms): the time of a change the upstream's record does not date. */
  now: number;
  /**
   * The total Ponte has recorded for the order, when known: a seller who put the price back to the original (no
   * adjustment left) changed it all the same.
   */
  recordedTotalFen?: number;
}

const event = (
  order: UpstreamOrder,
  type: UpstreamEventType,
  eventId: string,
  at: number,
  data: Record<string, unknown>,
  refundId: string | null = null,
): UpstreamEvent => ({
  eventId,
  platform: order.platform,
  type,
  at,
  orderId: order.orderId,
  refundId,
  productId: null,
  data,
});

/**
 * The events that bring Ponte's records of an order to what the upstream has now, in the order the lifecycle
 * passes them: the price, each parcel, the refunds, the end (finished), the close. Refunds come before the close:
 * a marketplace closes an order after the refunds of all its lines succeeded, and the refunds module credits them
 * first so that the close gives back only what they did not.
 */
export function orderSnapshotEvents(
  order: UpstreamOrder,
  refunds: readonly UpstreamRefund[],
  options: SnapshotOptions,
): UpstreamEvent[] {
  const events: UpstreamEvent[] = [];
  const id = order.orderId;
  const repriced =
    order.adjustFen !== 0 || (options.recordedTotalFen !== undefined && options.recordedTotalFen !== order.totalFen);
  // A seller changes the price only before payment; the orders module acts on it only then.
  if (order.status === 'wait_buyer_pay' && repriced) {
    events.push(
      event(order, 'order.price_modified', `order:${id}:price:${order.totalFen}`, options.now, {
        newTotalFen: order.totalFen,
        adjustFen: order.adjustFen,
      }),
    );
  }
  for (const parcel of parcelsOf(order.lines)) {
    const { shipment } = parcel;
    events.push(
      event(order, 'order.shipped', `order:${id}:shipped:${shipment.trackingNo}`, shipment.shippedAt, {
        lineIds: parcel.lineIds,
        carrierCode: shipment.carrierCode,
        carrierName: shipment.carrierName,
        trackingNo: shipment.trackingNo,
      }),
    );
  }
  for (const refund of [...refunds].sort((a, b) => a.updatedAt - b.updatedAt || cmp(a.refundId, b.refundId))) {
    const e = refundSnapshotEvent(order, refund);
    if (e) events.push(e);
  }
  if (order.status === 'finished') {
    events.push(event(order, 'order.finished', `order:${id}:finished`, order.receivedAt ?? options.now, {}));
  }
  if (order.status === 'closed') {
    events.push(
      event(order, 'order.closed', `order:${id}:closed`, order.closedAt ?? options.now, {
        reason: order.closeReason ?? 'closed',
      }),
    );
  }
  return events;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Parcel {
  shipment: NonNullable<UpstreamOrderLine['shipment']>;
  lineIds: string[];
}

/** The order's parcels, one per tracking number, with the lines each carries, the earliest shipped first. */
function parcelsOf(lines: readonly UpstreamOrderLine[]): Parcel[] {
  const byTracking = new Map<string, Parcel>();
  for (const line of lines) {
    const shipment = line.shipment;
    if (!shipment || shipment.trackingNo === '') continue;
    const parcel = byTracking.get(shipment.trackingNo);
    if (parcel) parcel.lineIds.push(line.lineId);
    else byTracking.set(shipment.trackingNo, { shipment, lineIds: [line.lineId] });
  }
  return [...byTracking.values()].sort(
    (a, b) => a.shipment.shippedAt - b.shipment.shippedAt || cmp(a.shipment.trackingNo, b.shipment.trackingNo),
  );
}

/**
 * The event that brings a refund to the state the upstream reports, or null for a state only the buyer's own
 * requests (made through Ponte) lead to: waiting for the seller's answer, or for the seller to receive the
 * parcel the buyer sent. A refusal is told apart by its count (each refusal answers another request), the other
 * states by the status alone (each is reached once).
 */
export function refundSnapshotEvent(order: UpstreamOrder, refund: UpstreamRefund): UpstreamEvent | null {
  const common = {
    status: refund.status,
    lineId: refund.lineId,
    deadline: refund.deadline,
    timeoutAction: refund.deadline === null ? null : refund.timeoutAction,
    refuseCount: refund.refuseCount,
  };
  const eventId = `refund:${refund.refundId}:${refund.status}:${refund.refuseCount}`;
  const make = (type: UpstreamEventType, data: Record<string, unknown>) =>
    event(order, type, eventId, refund.updatedAt, { ...common, ...data }, refund.refundId);
  switch (refund.status) {
    case 'wait_buyer_return':
      return make('refund.agreed', { returnAddress: refund.returnAddress });
    case 'seller_refused':
      return make('refund.refused', { refuseReason: refund.refuseReason ?? '' });
    case 'success':
      return make('refund.succeeded', { amountFen: refund.amountFen });
    case 'closed':
      return make('refund.closed', { reason: 'closed' });
    default:
      return null;
  }
}
