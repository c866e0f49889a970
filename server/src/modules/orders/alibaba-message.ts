import { toAlibabaOrder } from './alibaba-order-view.js';
import type { OrderAggregate } from './orders.types.js';

/**
 * The `messageBody` of the 1688 order messages (AM1 price change, AM2 status changes): the order in the
 * shape `/alibaba/order/detail` answers, so a receiver handles both with one parser. A message is written
 * once for every developer's reader, so its translated (`…Trans`) fields are in English.
 */
export function alibabaOrderMessageBody(agg: OrderAggregate): Record<string, unknown> {
  return toAlibabaOrder(agg, 'en');
}
