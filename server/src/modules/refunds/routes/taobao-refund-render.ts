import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Id, Int, LanguageField, Strict, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import { lineRefundOptions } from '../actions.js';
import { goodsStatusOfTaobao, refundTypeOfTaobao, TAOBAO_GOODS_STATUS, TAOBAO_REFUND_TYPE } from '../refunds.states.js';
import { GoodsStatusInt, RefundEnvelope, RefundTypeInt } from '../taobao-view.js';

const Str = (description: string, example?: string) =>
  Type.String({ description, ...(example === undefined ? {} : { examples: [example] }) });
const Fen = (description: string, example: number) => Int(`${description} (fen)`, 0, Number.MAX_SAFE_INTEGER, example);
const yuan = (fen: number) => (fen / 100).toFixed(2);

export default defineRoute({
  method: 'POST',
  url: '/open/order/refund/render',
  operationId: 'taobaoRenderRefund',
  summary: 'Render a reverse order: reasons, goods states and the maximum',
  description:
    'What a reverse order of one line may say before you submit it: the reasons the marketplace accepts for the ' +
    'line’s state and the chosen `refundType`/`goodsStatus`, the goods states and refund types possible, and the ' +
    'most you may ask (`maxRefundFee`: what was paid for the line less what was refunded). `saleFlag` is false when ' +
    'the line cannot have a reverse order now (unpaid, closed, refunded in full, or one is open already); a ' +
    '`refundType` or `goodsStatus` the line’s state does not allow answers 40001 naming it.',
  tags: ['Taobao after-sales'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: Strict({
    subOrderId: OpaqueId('order-line', Id('The line: `purchaseOrderLineId` of the order', '1795432287562383362')),
    refundType: RefundTypeInt,
    goodsStatus: GoodsStatusInt,
    language: LanguageField,
  }),
  data: Type.Object({
    refundOrderTemplate: Type.Object({
      refundReasons: Type.Array(
        Type.Object({
          reasonId: Str('Reason id, for the submit', '403770'),
          reasonDesc: Str('Reason, Chinese original', '质量问题'),
          reasonDescTrans: Str('Reason in the requested language', 'Quality problem'),
          tips: Str('What the reason asks of you', 'Add pictures of the problem'),
          needProof: Type.Boolean({ description: 'Whether pictures are expected with this reason' }),
        }),
      ),
      goodsStatusList: Type.Array(GoodsStatusInt, { description: 'Goods states possible for the line now' }),
      refundTypeList: Type.Array(RefundTypeInt, { description: 'Refund types possible for the line now' }),
      refundOrder: Type.Object({
        payOrderId: Str('The marketplace’s id of the line (Taobao sub-order)'),
        refundType: RefundTypeInt,
        goodsStatus: GoodsStatusInt,
        refundFee: Fen('Suggested amount: the maximum', 7499),
        canEditFee: Type.Boolean({ description: 'Whether you may ask for less' }),
        feeTips: Str('About the amount', 'At most 74.99 CNY'),
      }),
      maxRefundFee: Type.Object({
        minRefundFee: Fen('The least you may ask', 1),
        refundFee: Fen('The most you may ask', 7499),
        feeTips: Str('About the amount', 'At most 74.99 CNY'),
        canEditRefundFee: Type.Boolean({ description: 'Whether you may ask for less than the most' }),
      }),
    }),
    ...RefundEnvelope,
    saleFlag: Type.Boolean({ description: 'Whether the line may have a reverse order now' }),
  }),
  handler: async ({ deps, auth, body, lang }) => {
    const refundType = refundTypeOfTaobao(body.refundType);
    const goodsStatus = goodsStatusOfTaobao(body.goodsStatus);
    if (!refundType) throw invalidParameter('refundType', 'oneOf', { values: '1, 2' });
    if (!goodsStatus) throw invalidParameter('goodsStatus', 'oneOf', { values: '1, 2, 3, 4' });
    const { options, found } = await lineRefundOptions(deps, auth, 'taobao', body.subOrderId, 'subOrderId');
    const goodsList = options.goodsStatuses.map((g) => TAOBAO_GOODS_STATUS[g]);
    const typeList = options.refundTypes.map((t) => TAOBAO_REFUND_TYPE[t]);
    if (options.allowed && !options.refundTypes.includes(refundType)) {
      throw invalidParameter('refundType', 'refundNotAllowedHere', {
        value: body.refundType,
        values: typeList.join(', '),
      });
    }
    if (options.allowed && !options.goodsStatuses.includes(goodsStatus)) {
      throw invalidParameter('goodsStatus', 'refundNotAllowedHere', {
        value: body.goodsStatus,
        values: goodsList.join(', '),
      });
    }
    const max = options.allowed ? options.maxRefundFen : 0;
    const tips = `At most ${yuan(max)} CNY`;
    return {
      refundOrderTemplate: {
        refundReasons: options.allowed
          ? options.reasons.map((r) => ({
              reasonId: r.reasonId,
              reasonDesc: r.text.zh,
              reasonDescTrans: r.text[lang] || r.text.zh,
              tips: r.needsProof ? 'Add pictures that show the problem' : '',
              needProof: r.needsProof,
            }))
          : [],
        goodsStatusList: goodsList,
        refundTypeList: typeList,
        refundOrder: {
          payOrderId: found.line.upstream_line_id,
          refundType: body.refundType,
          goodsStatus: body.goodsStatus,
          refundFee: max,
          canEditFee: max > 1,
          feeTips: tips,
        },
        maxRefundFee: { minRefundFee: max > 0 ? 1 : 0, refundFee: max, feeTips: tips, canEditRefundFee: max > 1 },
      },
      distributorId: auth.developId,
      currency: 'CNY' as const,
      saleFlag: options.allowed,
    };
  },
});
