import type { TaobaoProvider } from '../../providers/taobao.js';
import { chinaTime } from '../../providers/taobao-global/orders.js';
import { GOODS_STATUSES, REFUND_STATUSES, REFUND_TYPES } from '../../providers/taobao-global/refunds.js';
import type { GoodsStatus, RefundType, UpstreamRefund, UpstreamRefundStatus } from '../../providers/types.js';
import { type IopFakeAccount, IopFakeError, type IopHandler, type IopHandlerContext } from './fake.js';

/**
 * The fake gateway's refund API, answered from a Taobao market (the sandbox's) in the wire shape Taobao
 * Global documents (see docs/adr/0016-real-upstreams.md): `/order/refund/query` reads one refund ("reverse
 * order") by `refundId` as `result.data.refund_order_aggregate`, with integer statuses and money in fen. The
 * platform documents no refund write API, so the fake serves none: refunds are opened and decided through the
 * market itself. Each account's token stands for one buyer of the market.
 */

export interface RefundHandlersOptions {
  market: TaobaoProvider;
  /** The market buyer an account acts as; the account's login name unless given. */
  buyerOf?: (account: IopFakeAccount) => string;
}

/** Ponte's words back to the platform's codes (the first code that reads as each word). */
function inverse<T extends string>(table: Readonly<Record<string, T>>): Record<T, number> {
  const out = {} as Record<T, number>;
  for (const [code, word] of Object.entries(table)) if (!(word in out)) out[word] = Number(code);
  return out;
}

export const WIRE_REFUND_STATUS: Record<UpstreamRefundStatus, number> = inverse(REFUND_STATUSES);
const WIRE_REFUND_TYPE: Record<RefundType, number> = inverse(REFUND_TYPES);
/** The warehouse is the buyer: goods it holds are goods received (4). */
const WIRE_GOODS_STATUS: Record<GoodsStatus, number> = { ...inverse(GOODS_STATUSES), at_warehouse: 4 };

/**
 * `timeout_type` values are not documented; the fake names the outcome of the step's timeout in one word.
 */
const TIMEOUT_TYPES = { agree: 'AUTO_AGREE', close: 'AUTO_CLOSE' } as const;

/** A decimal id as a JSON number (bigint keeps the digits beyond 2^53). */
function wireId(id: string): bigint | string {
  return /^\d{1,30}$/.test(id) ? BigInt(id) : id;
}

export function refundHandlers(options: RefundHandlersOptions): Record<string, IopHandler> {
  const { market } = options;

  function buyer(ctx: IopHandlerContext): string {
    if (!ctx.account) throw new IopFakeError('IllegalAccessToken');
    return options.buyerOf ? options.buyerOf(ctx.account) : ctx.account.account;
  }

  async function aggregate(refund: UpstreamRefund) {
    const order = await market.getOrder(refund.orderId, refund.buyerId);
    const line = order?.lines.find((l) => l.lineId === refund.lineId);
    const shop = order ? await market.getShop(order.shopId).catch(() => null) : null;
    const address = refund.returnAddress;
    const shipment = refund.returnShipment;
    return {
      refund_order: {
        refund_id: wireId(refund.refundId),
        refund_status: WIRE_REFUND_STATUS[refund.status],
        refund_type: WIRE_REFUND_TYPE[refund.refundType],
        goods_status: WIRE_GOODS_STATUS[refund.goodsStatus],
        refund_fee: refund.amountFen,
        reason_id: refund.reason.reasonId,
        reason_desc: refund.reason.text.zh,
        refund_desc: refund.description,
        timeout_type: refund.timeoutAction ? TIMEOUT_TYPES[refund.timeoutAction] : '',
        timeout_date: refund.deadline === null ? '' : chinaTime(refund.deadline),
        remaining_time: refund.deadline === null ? 0 : Math.max(0, refund.deadline - refund.updatedAt),
        can_edit_fee: refund.status === 'wait_seller_agree' || refund.status === 'seller_refused',
        pay_order_id: wireId(refund.orderId),
        seller_refuse_reason: refund.refuseReason ?? '',
      },
      purchase_order_line: {
        purchase_order_id: wireId(refund.orderId),
        purchase_order_line_id: wireId(refund.lineId),
        sales_order_id: '',
        supplier_id: order ? wireId(order.shopId) : '',
        supplier_nick: shop?.userNick ?? '',
        sales_market: 'TB',
        quantity: line?.quantity ?? 0,
        price: line?.unitPriceFen ?? 0,
        total_price: line?.amountFen ?? 0,
        post_fee: order?.shippingFen ?? 0,
        currency: 'CNY',
        item_title: line?.title.zh ?? '',
        item_image_url: line?.imageUrl ?? '',
        properties: { options: (line?.skuProperties ?? []).map((p) => `${p.propName.zh}:${p.valueName.zh}`) },
        create_time: order ? chinaTime(order.createdAt) : '',
      },
      logistics: {
        logistics_no: shipment?.trackingNo ?? '',
        logistics_company: {
          logistics_company_code: shipment?.carrierCode ?? '',
          logistics_company_name: shipment?.carrierCode ?? '',
        },
        receiver_address: address
          ? {
              receiver: address.receiver,
              phone: address.phone,
              detail_address: `${address.province}${address.city}${address.district}${address.address}`,
            }
          : {},
        buyer_phone: order?.address.phone ?? '',
        return_goods_desc: shipment?.description ?? '',
        seller_agree_return_describe: address ? '请按退货地址寄回商品' : '',
      },
    };
  }

  return {
    '/order/refund/query': {
      required: ['refundId'],
      handle: async (params, ctx) => {
        const refund = await market.getRefund(params.refundId as string, buyer(ctx));
        if (!refund) {
          return {
            result: { success: false, error_code: 'REFUND_NOT_FOUND', error_msg: 'The refund order does not exist' },
          };
        }
        return {
          result: {
            success: true,
            data: {
              distributor_id: wireId(ctx.account?.userId ?? ''),
              currency: 'CNY',
              refund_order_aggregate: await aggregate(refund),
            },
          },
        };
      },
    },
  };
}
