import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Type } from '../../../platform/http/schema.js';
import type { ShippingAddress } from '../../../providers/types.js';
import { ownRefund, returnLogistics } from '../actions.js';
import { RefundId } from '../refunds.schemas.js';
import { TAOBAO_REFUND_STATUS } from '../refunds.states.js';
import { RefundEnvelope, RefundStatusText, SELLER_RETURN_NOTE } from '../taobao-view.js';

const Str = (description: string, example?: string) =>
  Type.String({ description, ...(example === undefined ? {} : { examples: [example] }) });

export default defineRoute({
  method: 'GET',
  url: '/open/order/refund/returnLogistics/render',
  operationId: 'taobaoRenderRefundReturn',
  summary: 'Render the return of a reverse order: the seller’s address and the carriers',
  description:
    'For a return and refund the seller agreed to (`200`): where to send the goods, until when, and the carriers ' +
    'whose code `/open/order/refund/returnLogistics/submit` takes. Also answers once the parcel is sent. A refund ' +
    'only, or a return the seller has not agreed to, answers 40901.',
  tags: ['Taobao after-sales'],
  auth: 'signed',
  errors: [40401, 40901, 50201, 50401],
  query: Type.Object({ refundId: RefundId('Reverse order id') }),
  data: Type.Object({
    refundId: Str('Reverse order id'),
    refundStatus: RefundStatusText,
    receiverAddress: Type.Object({
      receiver: Str('Who receives the goods'),
      phone: Str('Their phone'),
      province: Str('Province'),
      city: Str('City'),
      district: Str('District, may be empty'),
      address: Str('Street and number'),
      detailAddress: Str('The whole address in one line'),
    }),
    sellerAgreeReturnDescribe: Str('The seller’s note'),
    timeoutDate: Type.Union([EpochMs('Send the parcel before'), Type.Null()], {
      description: 'Send the parcel before this (epoch ms), or the reverse order closes; null once sent',
    }),
    logisticsCompanies: Type.Array(
      Type.Object({
        logisticCompanyCode: Str('Carrier code, for the submit', 'ZTO'),
        logisticsCompanyName: Str('Carrier, Chinese original', '中通快递'),
        logisticsCompanyNameTrans: Str('Carrier in the requested language', 'ZTO Express'),
      }),
    ),
    ...RefundEnvelope,
  }),
  handler: async ({ deps, auth, query, lang }) => {
    const refund = await ownRefund(deps, auth, 'taobao', query.refundId);
    const { agg, carriers } = await returnLogistics(deps, refund, TAOBAO_REFUND_STATUS[refund.status]);
    const address = JSON.parse(agg.refund.return_address ?? 'null') as ShippingAddress | null;
    const a = address ?? { receiver: '', phone: '', province: '', city: '', district: '', address: '' };
    return {
      refundId: refund.id,
      refundStatus: TAOBAO_REFUND_STATUS[refund.status],
      receiverAddress: {
        receiver: a.receiver,
        phone: a.phone,
        province: a.province,
        city: a.city,
        district: a.district,
        address: a.address,
        detailAddress: [a.province, a.city, a.district, a.address].join(''),
      },
      sellerAgreeReturnDescribe: SELLER_RETURN_NOTE,
      timeoutDate: refund.status === 'wait_buyer_return' && refund.deadline !== null ? Number(refund.deadline) : null,
      logisticsCompanies: carriers.map((c) => ({
        logisticCompanyCode: c.code,
        logisticsCompanyName: c.name.zh,
        logisticsCompanyNameTrans: c.name[lang] || c.name.zh,
      })),
      distributorId: auth.developId,
      currency: 'CNY' as const,
    };
  },
});
