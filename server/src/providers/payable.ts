import { MarketRejection } from './errors.js';
import type { UpstreamOrder } from './types.js';

/**
 * Whether an order read from a marketplace is to be paid at `expectedTotalFen` (the total the buyer agreed to and
 * Ponte debited, `MarketProvider.payOrder`): true when it waits for payment at that total, false when it is paid
 * already at that total (a retry converges on it). A total that differs is `price_changed`; an order that can no
 * longer be paid is `invalid_state`.
 */
export function payableAt(order: UpstreamOrder, orderId: string, expectedTotalFen: number): boolean {
  if (!Number.isSafeInteger(expectedTotalFen) || expectedTotalFen < 0) {
    throw new MarketRejection('invalid_value', 'the expected total must be a whole number of fen', 'expectedTotalFen');
  }
  const paid = order.paidAt !== null && order.status !== 'wait_buyer_pay';
  if (!paid && order.status !== 'wait_buyer_pay') {
    throw new MarketRejection('invalid_state', `cannot pay an order in status ${order.status}`);
  }
  if (order.totalFen !== expectedTotalFen) {
    throw new MarketRejection(
      'price_changed',
      `order ${orderId} totals ${order.totalFen} fen, not the ${expectedTotalFen} fen expected`,
      'expectedTotalFen',
    );
  }
  return !paid;
}
