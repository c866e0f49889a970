import { type ApiError, errorMessage, invalidParameter } from '../../platform/http/errors.js';
import type { Language } from '../../platform/http/i18n.js';
import { Id, Int, type Static, type TSchema, Type } from '../../platform/http/schema.js';
import { OpaqueId, V2Extra, V2Name } from '../../platform/http/v2/annotations.js';
import { AddressParam } from '../carts/index.js';
import type { SellerResult } from './orders.service.js';
import type { LineRequest, OrderAggregate, PlaceOrderInput, Receiver } from './orders.types.js';

export { AlibabaOrder, type AlibabaOrderData, toAlibabaOrder } from './alibaba-order-view.js';

/**
 * The request objects of the 1688 order endpoints (`addressParam`, `cargoParamList`, `flow`...) in
 * 1688's words, their reading into the orders core's terms, and the small answers (create results,
 * payment results, pages). Money is integer fen.
 */

const nullable = <T extends TSchema>(schema: T, description: string, example: unknown) =>
  Type.Optional(Type.Union([schema, Type.Null()], { description, examples: [example] }));
const Fen = (description: string) => Int(`${description}, in fen`, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);

// ---------------------------------------------------------------------------------------------
// Request fields

export { AddressParam };

type AddressInput = Static<typeof AddressParam>;

const cargoFields = {
  // v2's `FastCargo` names the offer `offerMapId`.
  offerId: V2Name(
    'offerMapId',
    OpaqueId('alibaba-offer', Id('1688 offer id (an integer, or its digits in a string)', '706627393257')),
  ),
  specId: Type.Optional(
    OpaqueId(
      'alibaba-spec',
      Type.Union([Type.String({ maxLength: 64 }), Type.Null()], {
        description: 'Specification id (`specId` of the offer’s details); required when the offer has specifications',
        examples: ['b266e0726506185beaf205cbae88530d'],
      }),
    ),
  ),
  quantity: Int('Units to buy: at least the offer’s minimum order quantity', 1, 1_000_000, 2),
};

const sellerOpenId = nullable(
  Type.String({ maxLength: 64 }),
  'The offer’s supplier (`sellerOpenId` of the goods answers). Orders are split by the offer’s actual ' +
    'supplier; this field is accepted as documented and not relied on',
  'BBBwAN4GQ60zRPzBkv7BYPJRQ',
);

/** What v2's `FastCargo` has besides Ponte's fields: validated, then left aside. */
const fastCargoExtras = {
  productNo: nullable(
    Type.String({ maxLength: 128 }),
    'PandaPon’s v2 product number of the line; accepted as documented, Ponte does not use it',
    '',
  ),
  container: nullable(
    Type.String({ maxLength: 128 }),
    'PandaPon’s v2 container of the line; accepted as documented, Ponte does not use it',
    '',
  ),
};

/** A line of one supplier's order; on v2 a `FastCargo`, whose `sellerOpenId` the order's supplier makes moot. */
export const Cargo = V2Extra(
  { sellerOpenId, ...fastCargoExtras },
  Type.Object(cargoFields, { additionalProperties: false, description: 'One line to buy' }),
);

/** A line of the several-sellers variants: `sellerOpenId` names the supplier it is bought from. */
export const SellerCargo = V2Extra(
  fastCargoExtras,
  Type.Object(
    { ...cargoFields, sellerOpenId },
    { additionalProperties: false, description: 'One line to buy, with its supplier' },
  ),
);

export const ALIBABA_FLOWS = [
  'general',
  'fenxiao',
  'fenxiaonew',
  'saleproxy',
  'boutiquefenxiao',
  'boutiquereseller',
  'ttpft',
] as const;

const FLOW_TEXT =
  'The 1688 order flow: `general`, `fenxiao`, `fenxiaonew`, `saleproxy`, `boutiquefenxiao`, ' +
  '`boutiquereseller` or `ttpft`; kept with the order (`flowTemplateCode`); another value answers 40001';
const flowSchema = Type.Enum([...ALIBABA_FLOWS], { description: FLOW_TEXT, examples: ['general'] });

/** What every 1688 create takes besides its lines. */
export const createFields = (flowRequired: boolean) => ({
  flow: flowRequired
    ? flowSchema
    : Type.Optional(
        Type.Union([flowSchema, Type.Null()], {
          description: `${FLOW_TEXT}. Omitted or null: \`general\``,
          examples: ['general'],
        }),
      ),
  message: nullable(Type.String({ maxLength: 500 }), 'The buyer’s message to the seller (order remark)', '请尽快发货'),
  shopPromotionId: nullable(
    Type.String({ maxLength: 64 }),
    'A shop promotion to apply; accepted and kept, not applied (the marketplace prices the order)',
    '',
  ),
  tradeType: nullable(
    Type.String({ maxLength: 64 }),
    '1688 trade type (`fxassure`, `alipay`, `period`, `assure`...): kept with the order, not enforced; ' +
      'payment is always from the developer’s balance',
    'fxassure',
  ),
  addressParam: AddressParam,
});

export const WebSite = Type.Literal('1688', { description: 'Always `1688`', examples: ['1688'] });
export const OrderIdField = OpaqueId(
  'order',
  Id('Order id (`baseInfo.id` of the order details)', '1795432287562383360'),
);

// ---------------------------------------------------------------------------------------------
// Reading the fields

const trimmed = (value: string | null | undefined) => (value ?? '').trim();

/**
 * The receiver of `addressParam`. For a create (`strict`) the parts an order needs must be there:
 * 40001 names the first missing one. `townText` goes before the street.
 */
export function toReceiver(address: AddressInput | undefined, strict: boolean): Receiver {
  const a = address ?? {};
  if (strict) {
    if (!address) throw invalidParameter('addressParam', 'required');
    for (const part of ['fullName', 'provinceText', 'cityText', 'address'] as const) {
      if (!trimmed(a[part])) throw invalidParameter(`addressParam.${part}`, 'required');
    }
    if (!trimmed(a.mobile) && !trimmed(a.phone)) throw invalidParameter('addressParam.mobile', 'mobileOrPhone');
  }
  const street = trimmed(a.address);
  const town = trimmed(a.townText);
  return {
    name: trimmed(a.fullName),
    phone: trimmed(a.phone),
    mobilePhone: trimmed(a.mobile),
    country: 'CN',
    province: trimmed(a.provinceText),
    city: trimmed(a.cityText),
    district: trimmed(a.areaText),
    address: town && !street.startsWith(town) ? `${town}${street}` : street,
    zip: trimmed(a.postCode),
  };
}

type CargoInput = Static<typeof Cargo> | Static<typeof SellerCargo>;

/** `cargoParamList` as the core's lines. */
export function toLineRequests(cargos: CargoInput[]): LineRequest[] {
  return cargos.map((c) => ({
    productId: c.offerId,
    ...(trimmed(c.specId) ? { skuId: trimmed(c.specId) } : {}),
    quantity: c.quantity,
  }));
}

/** What 1688 creates keep with the order besides the lines: passed to the core with its input. */
/** What the 1688 create routes (A12, A15, A31) take besides their lines. */
interface CreateBody {
  addressParam?: AddressInput;
  message?: string | null;
  flow?: string | null;
  tradeType?: string | null;
  shopPromotionId?: string | null;
}

/**
 * A 1688 create request as the core's input: its lines (named `linesField` in errors), its address (checked
 * here unless the caller checked it first), message, options and `Idempotency-Key`.
 */
export function alibabaCreateInput(
  body: CreateBody,
  lines: LineRequest[],
  linesField: string,
  idempotencyKey: string | undefined,
  receiver: Receiver = toReceiver(body.addressParam, true),
): PlaceOrderInput {
  return {
    platform: '1688',
    lines,
    receiver,
    ...(body.message?.trim() ? { buyerMessage: body.message.trim() } : {}),
    ...(idempotencyKey ? { idempotencyKey } : {}),
    options: {
      flow: body.flow ?? 'general',
      ...(trimmed(body.tradeType) ? { tradeType: trimmed(body.tradeType) } : {}),
      ...(trimmed(body.shopPromotionId) ? { shopPromotionId: trimmed(body.shopPromotionId) } : {}),
    },
    linesField,
  };
}

// ---------------------------------------------------------------------------------------------
// Answers

export const CreateResult = Type.Object({
  orderId: OpaqueId('order', Type.String({ description: 'The new order’s id', examples: ['1795432287562383360'] })),
  totalSuccessAmount: Fen('What the order costs (goods and shipping)'),
  postFee: Fen('Domestic shipping'),
  failedOfferList: Type.Array(
    Type.Object({
      offerId: OpaqueId('alibaba-offer', Type.String()),
      specId: OpaqueId('alibaba-spec', Type.Union([Type.String(), Type.Null()])),
    }),
    {
      description: 'Lines left out of the order: always empty, since an order is created whole or not at all',
    },
  ),
});

export function toCreateResult(agg: OrderAggregate): Static<typeof CreateResult> {
  return {
    orderId: agg.order.id,
    totalSuccessAmount: Number(agg.order.total_fen),
    postFee: Number(agg.order.shipping_fen),
    failedOfferList: [],
  };
}

const SellerFields = {
  sellerOpenId: Type.String({ description: 'The supplier', examples: ['BBBwAN4GQ60zRPzBkv7BYPJRQ'] }),
  offerIds: Type.Array(OpaqueId('alibaba-offer', Type.String()), {
    description: 'The offers of this supplier’s lines',
  }),
};

export const BatchCreateResult = Type.Object({
  successOrderList: Type.Array(Type.Object({ ...SellerFields, ...CreateResult.properties }), {
    description: 'One order per supplier that could be created',
  }),
  failedOrderList: Type.Array(
    Type.Object({
      ...SellerFields,
      errorCode: Type.Integer({ description: 'The error code a single create would answer', examples: [42202] }),
      errorMsg: Type.String({ description: 'Its message, in the request’s language' }),
    }),
    { description: 'Suppliers whose order was not created (nothing of it was), with why' },
  ),
});

export function toBatchCreateResult(outcomes: SellerResult[], lang: Language): Static<typeof BatchCreateResult> {
  const out: Static<typeof BatchCreateResult> = { successOrderList: [], failedOrderList: [] };
  for (const { sellerOpenId, offerIds, result } of outcomes) {
    if (result.ok) out.successOrderList.push({ sellerOpenId, offerIds, ...toCreateResult(result.aggregate) });
    else
      out.failedOrderList.push({
        sellerOpenId,
        offerIds,
        errorCode: result.error.code,
        errorMsg: errorMessage(result.error.code, lang, result.error.params),
      });
  }
  return out;
}

export const PayUrlResult = Type.Object({
  orderId: OpaqueId('order', Type.String({ description: 'The order', examples: ['1795432287562383360'] })),
  protocolPaySuccess: Type.Boolean({ description: 'True when the order is paid (now, or before)' }),
  payUrl: Type.Union([Type.String(), Type.Null()], {
    description: 'When the balance does not cover the order: Ponte’s payment page for it (valid 24 h); else null',
    examples: ['https://ponte.example.com/pay/alibaba/v1.x8Jq…'],
  }),
  cantPayOrderList: Type.Null({ description: 'Always null here (a closed order answers 40901)' }),
});

const PayFailure = Type.Object({
  code: Type.Integer({ description: 'The error code paying this order alone answers', examples: [42201] }),
  message: Type.String({ description: 'Its message, in the request’s language' }),
});

export const BatchPayResult = Type.Object({
  payResults: Type.Array(
    Type.Object({
      orderId: OpaqueId('order', Type.String({ description: 'An order of the request, in the order given' })),
      protocolPaySuccess: Type.Boolean({ description: 'True when the order is paid (by this request or before)' }),
      alreadyPaid: Type.Boolean({ description: 'True when it was paid before this request (nothing was debited)' }),
      pending: Type.Boolean({
        description: 'True when the balance was debited and the marketplace has not confirmed yet',
      }),
    }),
    { description: 'One result per order of the request, in the order given' },
  ),
  cantPayOrderList: Type.Array(OpaqueId('order', Type.String()), {
    description: 'The orders that could not be paid (nothing was debited for them)',
  }),
  payFailureReasons: Type.Record(Type.String({ pattern: '^[0-9]{1,20}$' }), PayFailure, {
    description: 'Why, by order id, for each order of `cantPayOrderList`',
  }),
});
export type BatchPayData = Static<typeof BatchPayResult>;

/** A payment's failure as the batch answers it. */
export function payFailure(error: ApiError, lang: Language): Static<typeof PayFailure> {
  return { code: error.code, message: errorMessage(error.code, lang, error.params) };
}
