import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import { invalidParameter, notFound } from '../../platform/http/errors.js';
import type { GoodsStatus } from '../../providers/types.js';
import { findOwnOrder } from '../orders/index.js';
import { ALIBABA_GOODS_STATUS } from './refunds.states.js';

/**
 * 1688 names a refund by its order and sub-orders (`orderEntryIds`, the `subItemID`s of the order). A Ponte refund
 * is about one line (docs/adr/0014): the sub-order named, or the order's only line when none is named.
 */
export async function alibabaEntry(
  db: Executor,
  auth: AuthContext,
  orderId: string,
  entryIds: string[] | null | undefined,
): Promise<string> {
  const order = await findOwnOrder(db, auth, '1688', orderId);
  if (!order) throw notFound('order', orderId);
  const lines = await db.selectFrom('order_lines').select('id').where('order_id', '=', order.id).execute();
  const named = [...new Set(entryIds ?? [])];
  if (named.length > 1) throw invalidParameter('orderEntryIds', 'refundOneEntry');
  const entry = named[0] ?? (lines.length === 1 ? lines[0]?.id : undefined);
  if (entry === undefined) throw invalidParameter('orderEntryIds', 'refundOneEntry');
  if (!lines.some((l) => l.id === entry))
    throw invalidParameter('orderEntryIds[0]', 'refundEntryNotInOrder', { id: entry });
  return entry;
}

export const ALIBABA_GOODS_WORDS = Object.keys(ALIBABA_GOODS_STATUS);

/** 1688's `goodsStatus` word (or 1–4 as Taobao numbers them) as the marketplace-neutral state, or null. */
export function alibabaGoodsStatus(value: string): GoodsStatus | null {
  if (value in ALIBABA_GOODS_STATUS) return ALIBABA_GOODS_STATUS[value] as GoodsStatus;
  const n = { '1': 'not_shipped', '2': 'in_transit', '3': 'received', '4': 'at_warehouse' } as const;
  return n[value as keyof typeof n] ?? null;
}
