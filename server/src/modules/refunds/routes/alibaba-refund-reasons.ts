import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Id, Int, LanguageField, Strict, Text, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import { lineRefundOptions } from '../actions.js';
import { ALIBABA_GOODS_WORDS, alibabaEntry, alibabaGoodsStatus } from '../alibaba-entry.js';
import { ALIBABA_GOODS_STATUS } from '../refunds.states.js';

const Str = (description: string, example?: string) =>
  Type.String({ description, ...(example === undefined ? {} : { examples: [example] }) });

export default defineRoute({
  method: 'POST',
  url: '/alibaba/refund/reason/list',
  operationId: 'alibabaRefundReasons',
  summary: 'Refund reasons for an order’s sub-order',
  description:
    'The reasons 1688 accepts for a refund of one sub-order in the state `goodsStatus` says, with whether each asks ' +
    'for voucher pictures; and the most you may ask (`maxApplyPayment`: what was paid for the line less what was ' +
    'refunded). Name one sub-order in `orderEntryIds` (it may be left out when the order has one line). ' +
    '`refundable` is false when the line cannot have a refund now (unpaid, closed, refunded, or one is open).',
  tags: ['1688 after-sales'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: Strict({
    orderId: OpaqueId('order', Id('Ponte’s 1688 order id', '1795432287562383360')),
    orderEntryIds: Type.Optional(
      Type.Union(
        [Type.Array(OpaqueId('order-line', Id('Sub-order id (`subItemID`)')), { maxItems: 50 }), Type.Null()],
        {
          description: 'The sub-order (one)',
          examples: [['1795432287562383362']],
        },
      ),
    ),
    goodsStatus: Text(
      `Where the goods are: ${ALIBABA_GOODS_WORDS.map((w) => `\`${w}\``).join(', ')}`,
      40,
      'refundWaitSellerSend',
      1,
    ),
    language: LanguageField,
  }),
  data: Type.Object({
    reasons: Type.Array(
      Type.Object({
        id: Str('Reason id: `applyReasonId` of the create', '150013'),
        name: Str('Reason, Chinese original', '我不想要了'),
        nameTrans: Str('Reason in the requested language', 'I no longer want it'),
        needVoucher: Type.Boolean({ description: 'Whether voucher pictures are expected' }),
        noRefundCarriage: Type.Boolean({ description: 'Whether shipping cannot be refunded with this reason' }),
        tip: Str('What the reason asks of you'),
      }),
    ),
    orderEntryId: OpaqueId('order-line', Str('The sub-order the reasons are for (`subItemID`)')),
    goodsStatusList: Type.Array(Str('A `goodsStatus` word possible for the line now'), {
      description: 'The `goodsStatus` words possible for the line now',
    }),
    disputeRequestList: Type.Array(Str('`refund` or `returnRefund`'), {
      description: 'The `disputeRequest` values possible for the line now',
    }),
    maxApplyPayment: Int('The most a refund of the line may ask (fen)', 0, Number.MAX_SAFE_INTEGER, 28380),
    refundable: Type.Boolean({ description: 'Whether the line may have a refund now' }),
  }),
  handler: async ({ deps, db, auth, body, lang }) => {
    const goods = alibabaGoodsStatus(body.goodsStatus);
    if (!goods) throw invalidParameter('goodsStatus', 'oneOf', { values: ALIBABA_GOODS_WORDS.join(', ') });
    const entry = await alibabaEntry(db, auth, body.orderId, body.orderEntryIds);
    const { options } = await lineRefundOptions(deps, auth, '1688', entry, 'orderEntryIds');
    const words = ALIBABA_GOODS_WORDS.filter((w) => options.goodsStatuses.includes(ALIBABA_GOODS_STATUS[w] as never));
    if (options.allowed && !options.goodsStatuses.includes(goods)) {
      throw invalidParameter('goodsStatus', 'refundNotAllowedHere', {
        value: body.goodsStatus,
        values: words.join(', '),
      });
    }
    return {
      reasons: options.allowed
        ? options.reasons.map((r) => ({
            id: r.reasonId,
            name: r.text.zh,
            nameTrans: r.text[lang] || r.text.zh,
            needVoucher: r.needsProof,
            noRefundCarriage: goods === 'not_shipped' ? false : !r.needsProof,
            tip: r.needsProof ? 'Add voucher pictures that show the problem' : '',
          }))
        : [],
      orderEntryId: entry,
      goodsStatusList: words,
      disputeRequestList: options.refundTypes.map((t) => (t === 'refund' ? 'refund' : 'returnRefund')),
      maxApplyPayment: options.allowed ? options.maxRefundFen : 0,
      refundable: options.allowed,
    };
  },
});
