import { Int, Text, type TSchema, Type } from '../../platform/http/schema.js';
import { OpaqueId } from '../../platform/http/v2/annotations.js';
import type { FreightChannel, QuoteResult } from './quote.js';

/**
 * The goods of W1, W2 and W4 (and of the parcels booked): one field takes a Taobao item or a 1688 offer (found by
 * looking on Taobao, then 1688). On v2 it takes the opaque id of either, and an answer repeats the id as the request
 * sent it; a parcel read later names them by the marketplace's ids (the field cannot say which kind they are).
 */
export const GOODS_ITEM_ID = 'Taobao item id or 1688 offer id (on v2, or the opaque id of either)';
export const GOODS_SKU_ID = 'SKU id of that item: a Taobao SKU or a 1688 specId (on v2, or the opaque id of either)';

/** Marks a goods field of these endpoints: on v2, an opaque id of a Taobao item or of a 1688 offer. */
export const GoodsItemId = <T extends TSchema>(schema: T) => OpaqueId(['taobao-item', 'alibaba-offer'], schema);
/** Marks a SKU field of these endpoints: on v2, an opaque id of a Taobao SKU or of a 1688 specification. */
export const GoodsSkuId = <T extends TSchema>(schema: T) => OpaqueId(['taobao-sku', 'alibaba-spec'], schema);

/** The contract's `ReceiverAddressTO`; only the country decides the quote. */
export const ReceiverAddress = Type.Object(
  {
    country: Type.String({
      description: 'Destination country, ISO 3166-1 alpha-2 (`US`, `GB`, `VN` ...)',
      pattern: '^[A-Za-z]{2}$',
      examples: ['US'],
    }),
    state: Type.Optional(Text('State or province', 100, 'California')),
    city: Type.Optional(Text('City', 100, 'VALLEY VLG')),
    zip: Type.Optional(Text('Postcode', 20, '91607')),
    address: Type.Optional(Text('Street and number', 300, '5818 WHITSETT AVE 401')),
    name: Type.Optional(Text('Receiver', 100, 'Ofir Birinbaum')),
    phone: Type.Optional(Text('Phone', 40, '5083326888')),
    mobilePhone: Type.Optional(Text('Mobile phone', 40, '5083326888')),
    email: Type.Optional(Text('Email', 200, 'buyer@example.com')),
    taxId: Type.Optional(Text('Tax id, where customs need one', 60, '')),
  },
  { description: 'Where the parcel goes (`ReceiverAddressTO`)' },
);

export const FreightInfo = Type.Object(
  {
    serviceId: Type.String({ description: 'The channel (its id in the rate cards)', examples: ['1'] }),
    companyName: Type.String({ description: 'The channel’s name', examples: ['Sample Express US'] }),
    serviceCategory: Type.String({
      description: '`express`, `standard`, `economy` or `sea`',
      examples: ['express'],
    }),
  },
  { description: 'A freight channel (`FreightInfoTO`)' },
);

const Grams = (description: string, example: number) => Int(`${description} (g)`, 0, 1_000_000_000, example);

export const ChannelQuote = Type.Object({
  freightInfo: FreightInfo,
  available: Type.Boolean({ description: 'Whether the channel carries these goods' }),
  reason: Type.Union(
    [
      Type.Object({
        code: Type.String({
          description: '`overweight`, `over_length`, `over_girth` or `refused_goods`',
          examples: ['refused_goods'],
        }),
        detail: Type.String({ description: 'What it means', examples: ['the channel does not carry battery goods'] }),
      }),
      Type.Null(),
    ],
    { description: 'Why the channel does not carry them; null when it does' },
  ),
  actualWeightG: Grams('Actual weight', 600),
  volumetricWeightG: Grams('Volumetric weight: length × width × height / the channel’s divisor', 720),
  chargeableWeightG: Grams('The larger of the two', 720),
  billedWeightG: Grams('The chargeable weight rounded up to the first weight and steps', 1000),
  freight: Int('Freight (fen); 0 when not available', 0, Number.MAX_SAFE_INTEGER, 17_700),
  currency: Type.Literal('CNY', { description: 'Currency of `freight`' }),
  transitDays: Type.Object({ min: Int('Fewest days', 0, 365, 5), max: Int('Most days', 0, 365, 10) }),
  sample: Type.Boolean({ description: 'True for Ponte’s sample rates, not a forwarder’s real price' }),
});

const REFUSAL_TEXT = {
  overweight: (limit: number) => `heavier than the channel’s ${limit} g`,
  over_length: (limit: number) => `a side longer than the channel’s ${limit} cm`,
  over_girth: (limit: number) => `length plus girth over the channel’s ${limit} cm`,
};

/** One channel's answer for a parcel, in the contract's words. */
export function toChannelQuote(channel: FreightChannel, result: QuoteResult, actualWeightG: number) {
  const base = {
    freightInfo: { serviceId: channel.id, companyName: channel.name, serviceCategory: channel.category },
    currency: 'CNY' as const,
    transitDays: channel.transitDays,
    sample: channel.sample,
  };
  if (result.ok) {
    const q = result.quote;
    return {
      ...base,
      available: true,
      reason: null,
      actualWeightG: q.actualWeightG,
      volumetricWeightG: q.volumetricWeightG,
      chargeableWeightG: q.chargeableWeightG,
      billedWeightG: q.billedWeightG,
      freight: q.freightFen,
    };
  }
  const r = result.refusal;
  const detail =
    r.reason === 'refused_goods'
      ? `the channel does not carry ${r.attribute} goods`
      : REFUSAL_TEXT[r.reason]('limitG' in r ? r.limitG : r.limitCm);
  return {
    ...base,
    available: false,
    reason: { code: r.reason, detail },
    actualWeightG,
    volumetricWeightG: 0,
    chargeableWeightG: 0,
    billedWeightG: 0,
    freight: 0,
  };
}
