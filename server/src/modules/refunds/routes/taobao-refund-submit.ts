import { invalidParameter } from '../../../platform/http/errors.js';
import { readIdempotencyKey } from '../../../platform/http/idempotency.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Id, Int, LanguageField, Strict, Text } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import { createRefund } from '../create.js';
import { Description, picturesOf, REFUND_WRITE, TaobaoPictures, taobaoRefundData } from '../refunds.schemas.js';
import { goodsStatusOfTaobao, refundTypeOfTaobao } from '../refunds.states.js';
import { GoodsStatusInt, RefundAggregateData, RefundTypeInt } from '../taobao-view.js';

export const TAOBAO_REFUND_FIELDS = {
  line: 'subOrderId',
  refundType: 'refundType',
  goodsStatus: 'goodsStatus',
  reasonId: 'reasonId',
  amount: 'refundFee',
};

export default defineRoute({
  method: 'POST',
  url: '/open/order/refund/submit',
  operationId: 'taobaoSubmitRefund',
  summary: 'Submit a reverse order (refund only, or return and refund)',
  description:
    'Asks the seller to refund one paid line (`subOrderId`, the `purchaseOrderLineId` of the order). Call ' +
    '`/open/order/refund/render` first for the reasons and the maximum. The amount may not exceed what is left of ' +
    'the line (what was paid for it less what was refunded); a line has at most one open reverse order (40901). ' +
    'The seller then agrees, refuses or lets it time out; each change comes as a `ORDER_BUYER_VIEW_ORDER_BUYER_REFUND` ' +
    'message, and a refund credits your balance once. Send an `Idempotency-Key`: a retry answers the same reverse order.',
  tags: ['Taobao after-sales'],
  ...REFUND_WRITE,
  body: Strict({
    subOrderId: OpaqueId(
      'order-line',
      Id('The line to refund: `purchaseOrderLineId` of the order', '1795432287562383362'),
    ),
    refundType: RefundTypeInt,
    goodsStatus: GoodsStatusInt,
    reasonId: Text('A reason of the render (`refundReasons[].reasonId`)', 20, '403769', 1),
    refundFee: Int('Amount asked for (fen), at most the render’s `maxRefundFee.refundFee`', 1, 100_000_000, 7499),
    refundDesc: Description('What happened', 500, '尺码不合适'),
    refundImages: TaobaoPictures('Evidence pictures'),
    language: LanguageField,
  }),
  data: RefundAggregateData,
  handler: async ({ deps, auth, body, req, lang }) => {
    const refundType = refundTypeOfTaobao(body.refundType);
    const goodsStatus = goodsStatusOfTaobao(body.goodsStatus);
    if (!refundType) throw invalidParameter('refundType', 'oneOf', { values: '1, 2' });
    if (!goodsStatus) throw invalidParameter('goodsStatus', 'oneOf', { values: '1, 2, 3, 4' });
    const imageKeys = await picturesOf(deps, auth, body.refundImages, 'refundImages');
    const idempotencyKey = readIdempotencyKey(req);
    const agg = await createRefund(deps, auth, {
      platform: 'taobao',
      lineId: body.subOrderId,
      refundType,
      goodsStatus,
      reasonId: body.reasonId,
      amountFen: body.refundFee,
      carriageFen: 0,
      description: body.refundDesc ?? '',
      imageKeys,
      request: {},
      ...(idempotencyKey ? { idempotencyKey } : {}),
      fields: TAOBAO_REFUND_FIELDS,
    });
    return taobaoRefundData(deps, agg, lang);
  },
});
