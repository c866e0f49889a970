import type { AlibabaProvider } from '../../providers/alibaba.js';
import { parseAopDate } from '../../providers/aop/gateway.js';
import { parseAopJson } from '../../providers/aop/json.js';
import {
  AOP_DISPUTE_REQUESTS,
  AOP_GOODS_STATUSES,
  AOP_REFUND_APIS,
  AOP_REFUND_STATUSES,
  DESCRIPTION_MAX,
  DESCRIPTION_MIN,
} from '../../providers/aop/refunds.js';
import { MarketRejection, type RejectionReason } from '../../providers/errors.js';
import type { GoodsStatus, RefundType, UpstreamRefund, UpstreamRefundStatus } from '../../providers/types.js';
import {
  type AopFakeApi,
  type AopFakeContext,
  type AopFakeParams,
  AopFakeRefusal,
  AopWholeBody,
  aopDate,
} from './fake.js';

/**
 * The refund APIs of 1688's open platform in the fake gateway, answered from a marketplace behind the provider
 * interface (the sandbox's 1688), in the wire shapes the documentation gives (ADR 0016): the reasons and the
 * application in the refund envelope (`result.result`), the return parcel with `errorInfo`, the buyer's refund list
 * with `errorMsg`, amounts in fen. The list's refund model carries, beyond the documented fields, the line, reason,
 * deadline, refusal, return address and parcel under the names of 1688's refund model.
 */

/** 1688's refund status word for each neutral one. */
const WIRE_STATUS = Object.fromEntries(
  Object.entries(AOP_REFUND_STATUSES).map(([wire, status]) => [status, wire]),
) as Record<UpstreamRefundStatus, string>;

const WIRE_GOODS: Record<string, GoodsStatus> = {
  refundWaitSellerSend: 'not_shipped',
  refundWaitBuyerReceive: 'in_transit',
  refundBuyerReceived: 'received',
  aftersaleBuyerNotReceived: 'in_transit',
  aftersaleBuyerReceived: 'received',
};

/** The refusal code the fake answers for each rejection of the marketplace. */
const REFUND_CODES: Record<RejectionReason, string> = {
  not_found: 'REFUND_NOT_EXIST',
  invalid_state: 'REFUND_STATUS_ERROR',
  invalid_value: 'REFUND_PARAM_ERROR',
  delisted: 'REFUND_STATUS_ERROR',
  out_of_stock: 'REFUND_STATUS_ERROR',
  below_min_quantity: 'REFUND_STATUS_ERROR',
  price_changed: 'REFUND_PARAM_ERROR',
};

/** How far back the buyer's refund list reaches. */
const LIST_WINDOW_MS = 730 * 86_400_000;

function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
}

function owner(ctx: AopFakeContext): string {
  if (!ctx.owner) throw new AopFakeRefusal('401', 'Request need user authorized', 401);
  return ctx.owner;
}

/** The first entry of `orderEntryIds` (JSON text of Longs), read whole. */
function firstEntry(params: AopFakeParams): string {
  const raw = params.orderEntryIds;
  const ids = typeof raw === 'string' ? parseAopJson(raw) : undefined;
  const first = Array.isArray(ids) ? str(ids[0]) : '';
  if (!first) throw new AopFakeRefusal('gw.ParamMissing', 'Missing required parameter: orderEntryIds');
  return first;
}

function jsonList(params: AopFakeParams, name: string): string[] {
  const raw = params[name];
  if (typeof raw !== 'string') return [];
  const value = parseAopJson(raw);
  return Array.isArray(value) ? value.map(str) : [];
}

/** The refund model of the buyer's list, in fen, dates in the gateway's form. */
export function refundModel(refund: UpstreamRefund): Record<string, unknown> {
  const a = refund.returnAddress;
  const parcel = refund.returnShipment;
  return {
    refundId: refund.refundId,
    orderId: BigInt(refund.orderId),
    orderEntryId: BigInt(refund.lineId),
    status: WIRE_STATUS[refund.status],
    disputeRequest: AOP_DISPUTE_REQUESTS[refund.refundType],
    goodsStatus: AOP_GOODS_STATUSES[refund.goodsStatus],
    applyPayment: refund.amountFen,
    applyCarriage: 0,
    refundPayment: refund.status === 'success' ? refund.amountFen : 0,
    applyReasonId: /^\d+$/.test(refund.reason.reasonId) ? Number(refund.reason.reasonId) : refund.reason.reasonId,
    applyReason: refund.reason.text.zh,
    needVoucher: refund.reason.needsProof,
    description: refund.description,
    vouchers: refund.images,
    ...(refund.deadline !== null
      ? { gmtTimeOut: aopDate(refund.deadline), timeOutOperateType: refund.timeoutAction ?? '' }
      : {}),
    ...(refund.refuseReason ? { rejectReason: refund.refuseReason } : {}),
    rejectTimes: refund.refuseCount,
    ...(a
      ? {
          sellerReceiveAddress: {
            name: a.receiver,
            mobile: a.phone,
            province: a.province,
            city: a.city,
            area: a.district,
            address: a.address,
            post: a.postcode ?? '',
          },
        }
      : {}),
    ...(parcel
      ? {
          buyerSendGoods: {
            logisticsCompanyNo: parcel.carrierCode,
            freightBill: parcel.trackingNo,
            description: parcel.description ?? '',
            gmtSend: aopDate(parcel.shippedAt),
          },
        }
      : {}),
    gmtApply: aopDate(refund.createdAt),
    gmtModified: aopDate(refund.updatedAt),
  };
}

export interface AopRefundHandlerOptions {
  /** The marketplace the answers come from (`market.alibaba` of a sandbox). */
  market: AlibabaProvider;
  /**
   * The ids of a member's refunds, for a list asked without an order (the provider interface lists refunds by
   * order only); without it such a list is refused for its missing `orderId`.
   */
  refundIdsOf?: (buyerId: string) => string[];
}

/** The handler map of the refund APIs, to pass to `buildAopFake({ handlers })`. */
export function aopRefundHandlers(options: AopRefundHandlerOptions): Record<string, AopFakeApi> {
  const { market, refundIdsOf } = options;

  /** A refusal in the refund envelope (`result: {success: false, code, message}`). */
  const envelopeRefusal = (err: MarketRejection) =>
    new AopWholeBody({ result: { success: false, code: REFUND_CODES[err.reason], message: err.message } });

  return {
    [AOP_REFUND_APIS.reasons]: {
      required: ['orderId', 'orderEntryIds', 'goodsStatus'],
      json: ['orderEntryIds'],
      handle: async (params, ctx) => {
        try {
          const options = await market.refundOptions(str(params.orderId), firstEntry(params), owner(ctx));
          return {
            reasons: options.reasons.map((r) => ({
              id: /^\d+$/.test(r.reasonId) ? Number(r.reasonId) : r.reasonId,
              name: r.text.zh,
              needVoucher: r.needsProof,
              noRefundCarriage: true,
              tip: '',
            })),
          };
        } catch (err) {
          if (err instanceof MarketRejection) return envelopeRefusal(err);
          throw err;
        }
      },
    },
    [AOP_REFUND_APIS.create]: {
      required: ['orderId', 'orderEntryIds', 'disputeRequest', 'applyPayment', 'applyReasonId', 'goodsStatus'],
      json: ['orderEntryIds'],
      handle: async (params, ctx) => {
        const type = Object.entries(AOP_DISPUTE_REQUESTS).find(([, wire]) => wire === str(params.disputeRequest));
        const goods = WIRE_GOODS[str(params.goodsStatus)];
        if (!type || !goods) {
          return envelopeRefusal(new MarketRejection('invalid_value', 'disputeRequest or goodsStatus not known'));
        }
        const description = [...str(params.description)].length;
        if (description < DESCRIPTION_MIN || description > DESCRIPTION_MAX) {
          return envelopeRefusal(
            new MarketRejection('invalid_value', `description: ${DESCRIPTION_MIN} to ${DESCRIPTION_MAX} characters`),
          );
        }
        try {
          const refund = await market.createRefund({
            orderId: str(params.orderId),
            lineId: firstEntry(params),
            buyerId: owner(ctx),
            refundType: type[0] as RefundType,
            goodsStatus: goods,
            reasonId: str(params.applyReasonId),
            amountFen: Number(str(params.applyPayment)),
            description: str(params.description),
            images: jsonList(params, 'vouchers'),
            // 1688 takes no reference of the buyer's: each application is a new one.
            clientRef: ctx.requestId,
          });
          return { refundId: refund.refundId };
        } catch (err) {
          if (err instanceof MarketRejection) return envelopeRefusal(err);
          throw err;
        }
      },
    },
    [AOP_REFUND_APIS.returnGoods]: {
      required: ['refundId', 'logisticsCompanyNo', 'freightBill'],
      handle: async (params, ctx) => {
        const description = str(params.description);
        try {
          await market.submitReturnShipment(str(params.refundId), owner(ctx), {
            carrierCode: str(params.logisticsCompanyNo),
            trackingNo: str(params.freightBill),
            ...(description ? { description } : {}),
          });
        } catch (err) {
          if (err instanceof MarketRejection) {
            return new AopWholeBody({
              result: { success: false, errorCode: REFUND_CODES[err.reason], errorInfo: err.message },
            });
          }
          throw err;
        }
        return new AopWholeBody({ result: { success: true, errorCode: '', errorInfo: '' } });
      },
    },
    [AOP_REFUND_APIS.list]: {
      handle: async (params, ctx) => {
        const buyer = owner(ctx);
        const orderId = str(params.orderId);
        const page = Math.max(1, Number(str(params.currentPageNum)) || 1);
        const size = Math.max(1, Number(str(params.pageSize)) || 20);
        let refunds: UpstreamRefund[];
        if (orderId) {
          try {
            refunds = await market.orderRefunds(orderId, buyer);
          } catch (err) {
            if (err instanceof MarketRejection) {
              return new AopWholeBody({ success: false, errorCode: 'ORDER_NOT_EXIST', errorMsg: err.message });
            }
            throw err;
          }
        } else {
          if (!refundIdsOf) throw new AopFakeRefusal('gw.ParamMissing', 'Missing required parameter: orderId');
          refunds = [];
          for (const id of refundIdsOf(buyer)) {
            const refund = await market.getRefund(id, buyer);
            if (refund) refunds.push(refund);
          }
          refunds.sort((a, b) => b.createdAt - a.createdAt);
        }
        const from = parseAopDate(str(params.applyStartTime));
        const to = parseAopDate(str(params.applyEndTime));
        if (from !== null && (to ?? ctx.now) - from > LIST_WINDOW_MS) {
          return new AopWholeBody({
            success: false,
            errorCode: 'APPLY_TIME_ERROR',
            errorMsg: '申请时间范围不能超过730天',
          });
        }
        refunds = refunds.filter((r) => (from === null || r.createdAt >= from) && (to === null || r.createdAt <= to));
        return new AopWholeBody({
          result: {
            opOrderRefundModels: refunds.slice((page - 1) * size, page * size).map(refundModel),
            totalCount: refunds.length,
            currentPageNum: page,
          },
          success: true,
          errorCode: '',
          errorMsg: '',
        });
      },
    },
  };
}
