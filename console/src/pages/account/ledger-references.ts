import type { LedgerEntry } from '@ponte/sdk';

/** What a ledger entry is about, as far as its fields and its memo tell. */
export type LedgerReference =
  | { kind: 'order'; orderId: string; platform: 'taobao' | '1688' | null }
  | { kind: 'refund'; refundId: string; platform: 'taobao' | '1688' }
  | { kind: 'parcel'; parcelId: string }
  | { kind: 'voucher'; voucherId: string }
  | { kind: 'topup'; topupId: string };

const ORDER_MEMO = /^(taobao|1688) order (\d+)/;
const REFUND_MEMO = /^refund ((?:TQ)?\d+) \((taobao|1688)\b/;
const PARCEL_MEMO = /\bparcel (PP\d+)\b/;

/**
 * The order platforms the entries name: an order payment's memo says `taobao order <id>` or `1688 order <id>`, so a
 * later entry of the same order (a reversal, a refund) links to the right order page too.
 */
export function orderPlatforms(entries: readonly LedgerEntry[]): Map<string, 'taobao' | '1688'> {
  const platforms = new Map<string, 'taobao' | '1688'>();
  for (const e of entries) {
    const order = ORDER_MEMO.exec(e.memo) ?? null;
    if (order?.[1] && order[2]) platforms.set(order[2], order[1] as 'taobao' | '1688');
    const refund = REFUND_MEMO.exec(e.memo);
    if (refund?.[2] && e.orderId) platforms.set(e.orderId, refund[2] as 'taobao' | '1688');
  }
  return platforms;
}

/** The objects an entry belongs to, most specific first. */
export function referencesOf(entry: LedgerEntry, platforms: Map<string, 'taobao' | '1688'>): LedgerReference[] {
  const refs: LedgerReference[] = [];
  const refund = REFUND_MEMO.exec(entry.memo);
  if (refund?.[1] && refund[2])
    refs.push({ kind: 'refund', refundId: refund[1], platform: refund[2] as 'taobao' | '1688' });
  const parcel = PARCEL_MEMO.exec(entry.memo);
  if (parcel?.[1]) refs.push({ kind: 'parcel', parcelId: parcel[1] });
  if (entry.orderId)
    refs.push({ kind: 'order', orderId: entry.orderId, platform: platforms.get(entry.orderId) ?? null });
  if (entry.voucherId) refs.push({ kind: 'voucher', voucherId: entry.voucherId });
  if (entry.topupId) refs.push({ kind: 'topup', topupId: entry.topupId });
  return refs;
}
