import { invalidParameter } from '../../../platform/http/errors.js';
import { readIdempotencyKey } from '../../../platform/http/idempotency.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Id, Int, LanguageField, Strict, Text, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import { ALIBABA_GOODS_WORDS, alibabaEntry, alibabaGoodsStatus } from '../alibaba-entry.js';
import { AlibabaRefundStatus } from '../alibaba-view.js';
import { createRefund, refundableOf } from '../create.js';
import { AlibabaVouchers, picturesOf, REFUND_WRITE, RefundId } from '../refunds.schemas.js';
import { ALIBABA_REFUND_STATUS } from '../refunds.states.js';

const Fen = (description: string, example: number) => Int(`${description} (fen)`, 0, 100_000_000, example);

export default defineRoute({
  method: 'POST',
  url: '/alibaba/refund/detail/create',
  operationId: 'alibabaCreateRefund',
  summary: 'Create a refund or return application',
  description:
    'Asks the seller of a paid 1688 order to refund one sub-order (`orderEntryIds`, one id; it may be left out when ' +
    'the order has one line): `disputeRequest` `refund` (money only) or `returnRefund` (the goods go back first), ' +
    '`applyPayment` + `applyCarriage` at most what is left of the line, a reason of `/alibaba/refund/reason/list`, ' +
    'and voucher pictures from `/alibaba/refund/voucher/upload`. A line has at most one open refund (40901). ' +
    'Each change then comes as a message (`ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES` before the trade ' +
    'succeeded, `ORDER_BUYER_VIEW_ORDER_REFUND_AFTER_SALES` after), and a refund credits your balance once. Send an ' +
    '`Idempotency-Key`: a retry answers the same refund.',
  tags: ['1688 after-sales'],
  ...REFUND_WRITE,
  body: Strict({
    orderId: OpaqueId('order', Id('Ponte’s 1688 order id', '1795432287562383360')),
    orderEntryIds: Type.Optional(
      Type.Union(
        [Type.Array(OpaqueId('order-line', Id('Sub-order id (`subItemID`)')), { maxItems: 50 }), Type.Null()],
        {
          description: 'The sub-order to refund (one)',
          examples: [['1795432287562383362']],
        },
      ),
    ),
    disputeRequest: Type.Union([Type.Literal('refund'), Type.Literal('returnRefund')], {
      description: '`refund` (money only) or `returnRefund` (return the goods, then the money)',
      examples: ['refund'],
    }),
    applyPayment: Fen('Goods amount asked for', 28380),
    applyCarriage: Fen('Shipping amount asked for (part of what the line has left)', 0),
    applyReasonId: Type.Union([Type.String({ pattern: '^[0-9]{1,20}$' }), Type.Integer({ minimum: 0 })], {
      description: 'A reason id of `/alibaba/refund/reason/list`',
      examples: [150013],
    }),
    description: Text('What happened (2 to 150 characters)', 150, '不想要了，请退款', 2),
    goodsStatus: Text(
      `Where the goods are: ${ALIBABA_GOODS_WORDS.map((w) => `\`${w}\``).join(', ')}`,
      40,
      'refundWaitSellerSend',
      1,
    ),
    vouchers: AlibabaVouchers,
    orderEntryCountList: Type.Optional(
      Type.Union(
        [
          Type.Array(
            Type.Object(
              {
                id: OpaqueId('order-line', Id('Sub-order id')),
                count: Int('Goods count of that sub-order', 1, 1_000_000, 1),
              },
              { additionalProperties: false },
            ),
            { maxItems: 50 },
          ),
          Type.Null(),
        ],
        { description: 'How many of the sub-order’s goods the refund is for (all by default)' },
      ),
    ),
    language: LanguageField,
  }),
  data: Type.Object({
    refundId: RefundId('Id of the created refund', 'TQ1796214365581049856'),
    status: AlibabaRefundStatus,
  }),
  handler: async ({ deps, db, auth, body, req }) => {
    const goodsStatus = alibabaGoodsStatus(body.goodsStatus);
    if (!goodsStatus) throw invalidParameter('goodsStatus', 'oneOf', { values: ALIBABA_GOODS_WORDS.join(', ') });
    const entry = await alibabaEntry(db, auth, body.orderId, body.orderEntryIds);
    const amount = body.applyPayment + body.applyCarriage;
    if (amount < 1) {
      throw invalidParameter('applyPayment', 'refundAmountAbove', { max: await refundableOf(db, entry) });
    }
    const counts: Record<string, number> = {};
    for (const [i, c] of (body.orderEntryCountList ?? []).entries()) {
      if (c.id !== entry) throw invalidParameter(`orderEntryCountList[${i}].id`, 'refundEntryNotInOrder', { id: c.id });
      const line = await db
        .selectFrom('order_lines')
        .select('quantity')
        .where('id', '=', entry)
        .executeTakeFirstOrThrow();
      if (c.count > line.quantity) {
        throw invalidParameter(`orderEntryCountList[${i}].count`, 'refundCountAbove', {
          count: c.count,
          quantity: line.quantity,
        });
      }
      counts[c.id] = c.count;
    }
    const imageKeys = await picturesOf(deps, auth, body.vouchers, 'vouchers');
    const idempotencyKey = readIdempotencyKey(req);
    const agg = await createRefund(deps, auth, {
      platform: '1688',
      lineId: entry,
      refundType: body.disputeRequest === 'refund' ? 'refund' : 'return_refund',
      goodsStatus,
      reasonId: String(body.applyReasonId),
      amountFen: amount,
      carriageFen: body.applyCarriage,
      description: body.description,
      imageKeys,
      request: { goodsStatus: body.goodsStatus, ...(Object.keys(counts).length > 0 ? { counts } : {}) },
      ...(idempotencyKey ? { idempotencyKey } : {}),
      fields: {
        line: 'orderEntryIds',
        refundType: 'disputeRequest',
        goodsStatus: 'goodsStatus',
        reasonId: 'applyReasonId',
        amount: 'applyPayment',
      },
    });
    return { refundId: agg.refund.id, status: ALIBABA_REFUND_STATUS[agg.refund.status] };
  },
});
