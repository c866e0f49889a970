import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Text, Type } from '../../../platform/http/schema.js';
import { ownRefund, submitReturn } from '../actions.js';
import { AlibabaVouchers, picturesOf, REFUND_WRITE, RefundId } from '../refunds.schemas.js';
import { ALIBABA_REFUND_STATUS } from '../refunds.states.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/refund/goods/return',
  operationId: 'alibabaReturnRefundGoods',
  summary: 'Submit the return parcel of a refund',
  description:
    'After the seller agreed to a return (`waitbuyersend`): the carrier (a `companyNo` of ' +
    '`/alibaba/logistics/company/list`) and the tracking number, which must be right or the seller may refuse. The ' +
    'refund moves to `waitsellerreceive`. Other states answer 40901; an unknown carrier 40001.',
  tags: ['1688 after-sales'],
  ...REFUND_WRITE,
  body: Strict({
    refundId: RefundId('Refund id (starts with `TQ`)', 'TQ1796214365581049856'),
    logisticsCompanyNo: Text('Carrier code: `companyNo` of the logistics company list', 32, 'ZTO', 1),
    freightBill: Type.String({
      description: 'Tracking number: letters, digits and dashes',
      pattern: '^[A-Za-z0-9-]{4,40}$',
      examples: ['78561234567890'],
    }),
    description: Type.Optional(
      Type.Union([Text('A note for the seller (2 to 200 characters)', 200, '已寄回', 2), Type.Null()]),
    ),
    vouchers: AlibabaVouchers,
  }),
  data: Type.Object({
    success: Type.Union([Type.Boolean(), Type.Null()], { description: 'True: the parcel is recorded' }),
    errorCode: Type.Union([Type.String(), Type.Null()], { description: 'Null on success (errors use the envelope)' }),
    errorInfo: Type.Union([Type.String(), Type.Null()], { description: 'Null on success' }),
  }),
  handler: async ({ deps, auth, body }) => {
    const refund = await ownRefund(deps, auth, '1688', body.refundId);
    const imageKeys = await picturesOf(deps, auth, body.vouchers, 'vouchers');
    await submitReturn(deps, refund, ALIBABA_REFUND_STATUS[refund.status], {
      carrierCode: body.logisticsCompanyNo,
      trackingNo: body.freightBill,
      ...(body.description ? { description: body.description } : {}),
      ...(imageKeys.length > 0 ? { imageKeys } : {}),
      fields: { carrier: 'logisticsCompanyNo', tracking: 'freightBill' },
    });
    return { success: true, errorCode: null, errorInfo: null };
  },
});
