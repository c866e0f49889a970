import type { Language } from '../../platform/http/i18n.js';
import { Int, type Static, Text, Type } from '../../platform/http/schema.js';
import { OpaqueId } from '../../platform/http/v2/annotations.js';
import type { OrderPreview, PreviewGroup, ShippingAddress } from '../../providers/types.js';
import { CART_PROBLEMS, Fen, nullable, ProblemCode, ProblemText, problemText, Quantity } from './carts.schemas.js';

/**
 * 1688's order preview (A-O6) in its own words, from the market's neutral preview: the cart's preview
 * (A28) and the order previews (A10, A14) answer it. Money is fen.
 */

const Part = (description: string, example: string) => nullable(Text(description, 256), description, example);

/** 1688's `addressParam` (`FastAdress`). */
export const AddressParam = Type.Object(
  {
    fullName: Part('Receiver', '张三'),
    mobile: Part('Mobile phone', '15068763421'),
    phone: Part('Phone', '0571-88888888'),
    postCode: Part('Postcode', '311100'),
    provinceText: Part('Province', '浙江省'),
    cityText: Part('City', '杭州市'),
    areaText: Part('District', '余杭区'),
    townText: Part('Town or street', '仓前街道'),
    address: Part('Street address', '文一西路 969 号'),
    districtCode: Part('District code', '330110'),
  },
  { additionalProperties: false, description: 'Where the order is delivered (`FastAdress`)' },
);

export function toAlibabaShippingAddress(a: Static<typeof AddressParam> | undefined | null): ShippingAddress {
  return {
    receiver: a?.fullName ?? '',
    phone: a?.mobile || a?.phone || '',
    province: a?.provinceText ?? '',
    city: a?.cityText ?? '',
    district: a?.areaText ?? '',
    address: [a?.townText, a?.address].filter(Boolean).join(' '),
    ...(a?.postCode ? { postcode: a.postCode } : {}),
  };
}

const Cargo = Type.Object({
  offerId: OpaqueId('alibaba-offer', Int('1688 offer id', 1, Number.MAX_SAFE_INTEGER)),
  specId: OpaqueId(
    'alibaba-spec',
    Type.Union([Type.String(), Type.Null()], { description: 'Specification id; null when none' }),
  ),
  quantity: Quantity('Units'),
  finalUnitPrice: Fen('Price of one unit at the quantity tier reached'),
  amount: Fen('finalUnitPrice × quantity'),
  problem: ProblemCode(
    'Why the line cannot be ordered (`not_found`, `delisted`, `out_of_stock`, `below_min_quantity`)',
  ),
  problemText: ProblemText,
});

const PreviewResult = Type.Object({
  sellerOpenId: Type.Union([Type.String(), Type.Null()], {
    description: 'The supplier’s open id; null for lines whose offer does not exist',
  }),
  sumPayment: Fen('What the supplier’s order would cost: sumPaymentNoCarriage + sumCarriage - discountFee'),
  sumCarriage: Fen('Shipping to the warehouse'),
  sumPaymentNoCarriage: Fen('The orderable lines’ amounts'),
  discountFee: Fen('Discount'),
  tradeModeNameList: Type.Array(Type.String(), { description: 'How the order would be paid (担保交易: escrow)' }),
  status: Type.Boolean({ description: 'Every line of this supplier can be ordered' }),
  message: Type.Union([Type.String(), Type.Null()], {
    description: 'The first line’s problem in words, in the request language; null when none',
  }),
  cargoList: Type.Array(Cargo, { description: 'The lines, as asked' }),
});

const OfferIdText = OpaqueId('alibaba-offer', Type.String({ description: '1688 offer id' }));

export const AlibabaOrderPreview = Type.Object({
  orderPreviewResuslt: Type.Array(PreviewResult, {
    description: 'One result per supplier (1688 spells the field so)',
  }),
  success: Type.Boolean({ description: 'Every line can be ordered' }),
  errorCode: Type.Union([Type.String(), Type.Null()], { description: 'The first problem’s code; null on success' }),
  errorMsg: Type.Union([Type.String(), Type.Null()], { description: 'The first problem in words; null on success' }),
  postFeeByDescOfferList: Type.Array(OfferIdText, {
    description: 'Offers whose shipping is “see the description” (none here: shipping is computed)',
  }),
  consignOfferList: Type.Array(OfferIdText, { description: 'Consignment offers (none)' }),
  unsupportedCrossBorderPayOfferList: Type.Array(OfferIdText, {
    description: 'Offers that cannot be paid cross-border (none)',
  }),
});

export type AlibabaOrderPreviewData = Static<typeof AlibabaOrderPreview>;

function toResult(group: PreviewGroup, lang: Language): Static<typeof PreviewResult> {
  const cargoList = group.lines.map((line) => ({
    offerId: Number(line.productId),
    specId: line.skuId || null,
    quantity: line.quantity,
    finalUnitPrice: line.unitPriceFen,
    amount: line.amountFen,
    problem: line.problem,
    problemText: problemText(line.problem, lang),
  }));
  const first = cargoList.find((c) => c.problem !== null);
  return {
    sellerOpenId: group.sellerOpenId,
    sumPayment: group.totalFen,
    sumCarriage: group.shippingFen,
    sumPaymentNoCarriage: group.goodsFen,
    discountFee: 0,
    tradeModeNameList: ['担保交易'],
    status: first === undefined,
    message: first?.problemText ?? null,
    cargoList,
  };
}

/** The market's preview as 1688 answers it, its texts in `lang`. */
export function toAlibabaPreview(preview: OrderPreview, lang: Language): AlibabaOrderPreviewData {
  const results = preview.groups.map((g) => toResult(g, lang));
  const problem = results.flatMap((r) => r.cargoList).find((c) => c.problem !== null)?.problem ?? null;
  return {
    orderPreviewResuslt: results,
    success: problem === null && results.length > 0,
    errorCode: problem,
    errorMsg: problem ? CART_PROBLEMS[problem][lang] : null,
    postFeeByDescOfferList: [],
    consignOfferList: [],
    unsupportedCrossBorderPayOfferList: [],
  };
}
