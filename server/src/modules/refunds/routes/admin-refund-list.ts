import { pageByTime } from '../../../platform/db/paging.js';
import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Id, Int, PageNo, PageSize, Strict, Text, Type } from '../../../platform/http/schema.js';
import type { RefundRow } from '../refunds.repo.js';
import {
  ALIBABA_REFUND_STATUS,
  REFUND_STATUSES,
  type RefundStatus,
  TAOBAO_GOODS_STATUS,
  TAOBAO_REFUND_STATUS,
} from '../refunds.states.js';

/** The operator's view of refunds of every developer and both platforms (`/admin/refunds`). */

const STATUSES = REFUND_STATUSES;

const Status = Type.Enum([...STATUSES], {
  description:
    'Where the refund is, in words of both platforms: `wait_seller_agree` (Taobao `100`, 1688 `waitselleragree`), ' +
    '`seller_refused` (`-10`, `waitbuyermodify`), `wait_buyer_return` (`200`, `waitbuyersend`), ' +
    '`wait_seller_receive` (`300`, `waitsellerreceive`), `success` (`400`, `refundsuccess`: credited), `closed` ' +
    '(`-20`, `refundclose`)',
  examples: ['wait_seller_agree'],
});

/** What the filter takes: the neutral word, or either platform's own (`100`, `waitselleragree`, …). */
const STATUS_FILTER = [
  ...STATUSES,
  ...STATUSES.map((s) => TAOBAO_REFUND_STATUS[s]),
  ...STATUSES.map((s) => ALIBABA_REFUND_STATUS[s]),
] as const;

/** The neutral status a filter value names (each platform word names one); 40001 for any other value. */
function statusOfFilter(value: string): RefundStatus {
  const found = STATUSES.find(
    (s) => s === value || TAOBAO_REFUND_STATUS[s] === value || ALIBABA_REFUND_STATUS[s] === value,
  );
  if (!found) throw invalidParameter('status', 'oneOf', { values: STATUS_FILTER.join(', ') });
  return found;
}

const Platform = Type.Union([Type.Literal('taobao'), Type.Literal('1688')], {
  description: 'The marketplace',
  examples: ['taobao'],
});
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });
const Fen = (description: string, example: number) => Int(`${description} (fen)`, 0, Number.MAX_SAFE_INTEGER, example);

export const AdminRefund = Type.Object(
  {
    refundId: Text('Ponte’s refund id (1688 ones start with `TQ`)', 22, '1796214365581049856'),
    refundOuterId: Nullable(
      Type.String({ description: 'The marketplace’s id', examples: ['7100000001'] }),
      'The marketplace’s id of the refund (what the sandbox control API takes); null while its create settles',
    ),
    platform: Platform,
    developId: Id('The developer'),
    userId: Id('The sub-account that asked for it'),
    orderId: Id('The order'),
    purchaseOrderId: Id('The seller’s part of the order (Taobao sub purchase order)'),
    lineId: Id('The order line (Taobao `purchaseOrderLineId`, 1688 `subItemID`)'),
    createState: Type.Union([Type.Literal('creating'), Type.Literal('created')], {
      description: '`creating` while the marketplace’s answer to the create is not recorded yet (a worker settles it)',
    }),
    status: Status,
    platformStatus: Text('The status as the developer sees it: Taobao `refundStatus`, 1688 `status`', 20, '100'),
    refundType: Type.Union([Type.Literal('refund'), Type.Literal('return_refund')], {
      description: '`refund` (money only) or `return_refund` (the goods go back first)',
    }),
    goodsStatus: Int(
      'Where the goods were: 1 not shipped, 2 shipped not received, 3 received, 4 at the warehouse',
      1,
      4,
      1,
    ),
    reasonId: Text('The reason id given', 20, '403769'),
    amount: Fen('Amount asked for, shipping included', 7499),
    carriage: Fen('Of which shipping (1688 `applyCarriage`)', 0),
    credited: Fen('Amount credited to the balance (at most what the line had left)', 0),
    creditTransactionId: Nullable(Id('Ledger transaction'), 'The ledger transaction that credited it; null until then'),
    refuseReason: Nullable(Type.String({ description: 'Refusal' }), 'The seller’s last refusal'),
    refuseCount: Int('How many times the seller refused', 0, 1000, 0),
    deadline: Nullable(EpochMs('Deadline'), 'When the current step times out (market time, epoch ms)'),
    returnCarrier: Nullable(Text('Carrier code', 32, 'ZTO'), 'The return parcel’s carrier, once sent'),
    returnTracking: Nullable(Text('Tracking number', 40, '78561234567890'), 'The return parcel’s tracking number'),
    version: Int('Raised by every change (the callback messages carry it)', 0, 2_147_483_647, 1),
    createTime: EpochMs('When it was asked for'),
    updateTime: EpochMs('Last change'),
    completeTime: Nullable(EpochMs('Finished'), 'When it was refunded or closed; null while open'),
  },
  { description: 'A refund of one order line, as the operator sees it' },
);

export function toAdminRefund(r: RefundRow) {
  return {
    refundId: r.id,
    refundOuterId: r.upstream_refund_id,
    platform: r.platform,
    developId: r.develop_id,
    userId: r.user_id,
    orderId: r.order_id,
    purchaseOrderId: r.part_id,
    lineId: r.line_id,
    createState: r.create_state,
    status: r.status,
    platformStatus: r.platform === 'taobao' ? TAOBAO_REFUND_STATUS[r.status] : ALIBABA_REFUND_STATUS[r.status],
    refundType: r.refund_type,
    goodsStatus: TAOBAO_GOODS_STATUS[r.goods_status],
    reasonId: r.reason_id,
    amount: Number(r.amount_fen),
    carriage: Number(r.carriage_fen),
    credited: Number(r.credited_fen),
    creditTransactionId: r.credit_tx,
    refuseReason: r.refuse_reason,
    refuseCount: Number(r.refuse_count),
    deadline: r.deadline === null ? null : Number(r.deadline),
    returnCarrier: r.return_carrier,
    returnTracking: r.return_tracking,
    version: Number(r.version),
    createTime: Number(r.created_at),
    updateTime: Number(r.updated_at),
    completeTime: r.completed_at === null ? null : Number(r.completed_at),
  };
}

export default defineRoute({
  method: 'GET',
  url: '/admin/refunds',
  operationId: 'adminListRefunds',
  summary: 'List refunds',
  description:
    'Refunds of every developer on both marketplaces, newest first, optionally of one developer, platform, status ' +
    '(the neutral word or either platform’s own: `100`, `waitselleragree`, …) or order. Creates still settling ' +
    '(`createState` `creating`) are listed too.',
  tags: ['Admin'],
  auth: 'admin',
  query: Strict({
    developId: Type.Optional(Id('Only this developer’s refunds')),
    platform: Type.Optional(Platform),
    status: Type.Optional(
      Type.Enum([...STATUS_FILTER], {
        description: 'Only refunds in this status (neutral or platform word)',
        examples: ['100'],
      }),
    ),
    orderId: Type.Optional(Id('Only the refunds of this order')),
    pageNo: PageNo,
    pageSize: PageSize,
  }),
  data: Type.Object({
    list: Type.Array(AdminRefund, { description: 'Newest first' }),
    total: Int('Number of refunds matching the filters', 0, Number.MAX_SAFE_INTEGER),
  }),
  handler: async ({ db, query }) => {
    let q = db.selectFrom('refunds');
    if (query.developId) q = q.where('develop_id', '=', query.developId);
    if (query.platform) q = q.where('platform', '=', query.platform);
    if (query.status) q = q.where('status', '=', statusOfFilter(query.status));
    if (query.orderId) q = q.where('order_id', '=', query.orderId);
    const { rows, total } = await pageByTime(q, query);
    return { list: rows.map(toAdminRefund), total };
  },
});
