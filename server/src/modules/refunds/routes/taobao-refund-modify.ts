import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Int, LanguageField, Strict, Text, Type } from '../../../platform/http/schema.js';
import { modifyRefund, ownRefund } from '../actions.js';
import {
  Description,
  picturesOf,
  REFUND_WRITE,
  RefundId,
  TaobaoPictures,
  taobaoRefundData,
} from '../refunds.schemas.js';
import { goodsStatusOfTaobao, refundTypeOfTaobao, TAOBAO_REFUND_STATUS } from '../refunds.states.js';
import { GoodsStatusInt, RefundAggregateData, RefundTypeInt } from '../taobao-view.js';
import { TAOBAO_REFUND_FIELDS } from './taobao-refund-submit.js';

export default defineRoute({
  method: 'POST',
  url: '/open/order/refund/modify',
  operationId: 'taobaoModifyRefund',
  summary: 'Modify a reverse order',
  description:
    'Changes a reverse order the seller has not agreed to: one waiting for the seller (`100`), or one the seller ' +
    'refused (`-10`), which goes back to `100` for the seller to decide again. Only the fields sent change; a new ' +
    '`refundImages` replaces the pictures. Other states answer 40901.',
  tags: ['Taobao after-sales'],
  ...REFUND_WRITE,
  body: Strict({
    refundId: RefundId('Reverse order id'),
    refundType: Type.Optional(RefundTypeInt),
    goodsStatus: Type.Optional(GoodsStatusInt),
    reasonId: Type.Optional(Text('A reason of the render', 20, '403770', 1)),
    refundFee: Type.Optional(Int('Amount asked for (fen)', 1, 100_000_000, 5000)),
    refundDesc: Description('What happened', 500, '颜色与图片不符'),
    refundImages: TaobaoPictures('Evidence pictures (replace the ones given before)'),
    language: LanguageField,
  }),
  data: RefundAggregateData,
  handler: async ({ deps, auth, body, lang }) => {
    const refundType = body.refundType === undefined ? undefined : refundTypeOfTaobao(body.refundType);
    const goodsStatus = body.goodsStatus === undefined ? undefined : goodsStatusOfTaobao(body.goodsStatus);
    if (refundType === null) throw invalidParameter('refundType', 'oneOf', { values: '1, 2' });
    if (goodsStatus === null) throw invalidParameter('goodsStatus', 'oneOf', { values: '1, 2, 3, 4' });
    const refund = await ownRefund(deps, auth, 'taobao', body.refundId);
    const imageKeys =
      body.refundImages === undefined ? undefined : await picturesOf(deps, auth, body.refundImages, 'refundImages');
    const agg = await modifyRefund(deps, refund, TAOBAO_REFUND_STATUS[refund.status], {
      ...(refundType ? { refundType } : {}),
      ...(goodsStatus ? { goodsStatus } : {}),
      ...(body.reasonId ? { reasonId: body.reasonId } : {}),
      ...(body.refundFee !== undefined ? { amountFen: body.refundFee } : {}),
      ...(body.refundDesc !== undefined ? { description: body.refundDesc } : {}),
      ...(imageKeys ? { imageKeys } : {}),
      fields: TAOBAO_REFUND_FIELDS,
    });
    return taobaoRefundData(deps, agg, lang);
  },
});
