import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Strict, Text, Type } from '../../../platform/http/schema.js';
import { ownRefund, submitReturn } from '../actions.js';
import {
  Description,
  picturesOf,
  REFUND_WRITE,
  RefundId,
  TaobaoPictures,
  taobaoRefundData,
} from '../refunds.schemas.js';
import { TAOBAO_REFUND_STATUS } from '../refunds.states.js';
import { RefundAggregateData } from '../taobao-view.js';

export default defineRoute({
  method: 'POST',
  url: '/open/order/refund/returnLogistics/submit',
  operationId: 'taobaoSubmitRefundReturn',
  summary: 'Submit the return parcel of a reverse order',
  description:
    'After the seller agreed to a return (`200`): the carrier (a `logisticCompanyCode` of the return logistics ' +
    'render) and the tracking number. The reverse order moves to `300` and waits for the seller to receive the ' +
    'parcel (or for its deadline, when it is refunded anyway). Other states answer 40901.',
  tags: ['Taobao after-sales'],
  ...REFUND_WRITE,
  body: Strict({
    refundId: RefundId('Reverse order id'),
    logisticsCompanyCode: Text('Carrier code (from the return logistics render)', 32, 'ZTO', 1),
    logisticsNo: Type.String({
      description: 'Tracking number: letters, digits and dashes',
      pattern: '^[A-Za-z0-9-]{4,40}$',
      examples: ['78561234567890'],
    }),
    buyerPhone: Type.Optional(Text('A phone the carrier or seller can reach you at', 32, '13800138000')),
    returnGoodsDesc: Description('A note for the seller', 200, '已按地址寄回'),
    returnImages: TaobaoPictures('Pictures of the parcel or its receipt'),
    language: LanguageField,
  }),
  data: RefundAggregateData,
  handler: async ({ deps, auth, body, lang }) => {
    const refund = await ownRefund(deps, auth, 'taobao', body.refundId);
    const imageKeys = await picturesOf(deps, auth, body.returnImages, 'returnImages');
    const agg = await submitReturn(deps, refund, TAOBAO_REFUND_STATUS[refund.status], {
      carrierCode: body.logisticsCompanyCode,
      trackingNo: body.logisticsNo,
      ...(body.returnGoodsDesc ? { description: body.returnGoodsDesc } : {}),
      ...(body.buyerPhone ? { buyerPhone: body.buyerPhone } : {}),
      ...(imageKeys.length > 0 ? { imageKeys } : {}),
      fields: { carrier: 'logisticsCompanyCode', tracking: 'logisticsNo' },
    });
    return taobaoRefundData(deps, agg, lang);
  },
});
