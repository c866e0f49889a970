/**
 * International freight as a pure function of a channel's rate card and a parcel (docs/adr/0015): the chargeable
 * weight is the larger of the actual weight and the volumetric one (L×W×H / divisor), billed by the channel's first
 * weight and then by whole steps; a channel refuses a parcel over its weight, longest side or girth, or holding goods
 * it does not carry. Weights in grams, sizes in centimetres, money in fen.
 */

export const GOODS_ATTRIBUTES = ['battery', 'liquid', 'powder', 'food', 'brand'] as const;
export type GoodsAttribute = (typeof GOODS_ATTRIBUTES)[number];

export type ChannelCategory = 'express' | 'standard' | 'economy' | 'sea';

export interface FreightChannel {
  /** The contract's `serviceId`. */
  id: string;
  /** The contract's `companyName`. */
  name: string;
  /** The contract's `serviceCategory`. */
  category: ChannelCategory;
  /** Destination, ISO 3166-1 alpha-2. */
  country: string;
  firstWeightG: number;
  firstPriceFen: number;
  stepG: number;
  stepPriceFen: number;
  /** Cubic centimetres per kilogram (5000, 6000, 8000 ...). */
  volumetricDivisor: number;
  maxWeightG: number;
  maxSideCm: number;
  /** The longest side plus twice the two others. */
  maxGirthCm: number;
  refused: GoodsAttribute[];
  transitDays: { min: number; max: number };
  /** A shipped default, not a forwarder's real rate. */
  sample: boolean;
  active: boolean;
}

export interface ParcelSpec {
  weightG: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
  attributes: GoodsAttribute[];
}

export interface FreightQuote {
  actualWeightG: number;
  volumetricWeightG: number;
  /** The larger of the two. */
  chargeableWeightG: number;
  /** The chargeable weight rounded up to the channel's first weight and steps. */
  billedWeightG: number;
  freightFen: number;
}

export type QuoteRefusal =
  | { reason: 'overweight'; limitG: number }
  | { reason: 'over_length'; limitCm: number }
  | { reason: 'over_girth'; limitCm: number }
  | { reason: 'refused_goods'; attribute: GoodsAttribute };

export type QuoteResult = { ok: true; quote: FreightQuote } | { ok: false; refusal: QuoteRefusal };

/** The volumetric weight in grams, rounded up. */
export function volumetricWeightG(
  spec: Pick<ParcelSpec, 'lengthCm' | 'widthCm' | 'heightCm'>,
  divisor: number,
): number {
  return Math.ceil(((spec.lengthCm * spec.widthCm * spec.heightCm) / divisor) * 1000);
}

/** The parcel's sides, longest first. */
function sides(spec: Pick<ParcelSpec, 'lengthCm' | 'widthCm' | 'heightCm'>): [number, number, number] {
  return [spec.lengthCm, spec.widthCm, spec.heightCm].sort((a, b) => b - a) as [number, number, number];
}

export function girthCm(spec: Pick<ParcelSpec, 'lengthCm' | 'widthCm' | 'heightCm'>): number {
  const [a, b, c] = sides(spec);
  return a + 2 * (b + c);
}

/** What the channel charges for the parcel, or why it does not carry it. */
export function quote(channel: FreightChannel, spec: ParcelSpec): QuoteResult {
  const refused = channel.refused.find((a) => spec.attributes.includes(a));
  if (refused) return { ok: false, refusal: { reason: 'refused_goods', attribute: refused } };
  if (spec.weightG > channel.maxWeightG)
    return { ok: false, refusal: { reason: 'overweight', limitG: channel.maxWeightG } };
  const [longest] = sides(spec);
  if (longest > channel.maxSideCm) return { ok: false, refusal: { reason: 'over_length', limitCm: channel.maxSideCm } };
  if (girthCm(spec) > channel.maxGirthCm) {
    return { ok: false, refusal: { reason: 'over_girth', limitCm: channel.maxGirthCm } };
  }
  const volumetric = volumetricWeightG(spec, channel.volumetricDivisor);
  const chargeable = Math.max(spec.weightG, volumetric);
  const steps = chargeable <= channel.firstWeightG ? 0 : Math.ceil((chargeable - channel.firstWeightG) / channel.stepG);
  return {
    ok: true,
    quote: {
      actualWeightG: spec.weightG,
      volumetricWeightG: volumetric,
      chargeableWeightG: chargeable,
      billedWeightG: channel.firstWeightG + steps * channel.stepG,
      freightFen: channel.firstPriceFen + steps * channel.stepPriceFen,
    },
  };
}

/**
 * `quantity` units of one SKU as one parcel: the weights add up, and the units stack along their shortest side (how
 * a warehouse packs identical boxes before it measures the real parcel).
 */
export function stacked(
  unit: { weightG: number; lengthCm: number; widthCm: number; heightCm: number },
  quantity: number,
  attributes: GoodsAttribute[],
): ParcelSpec {
  const [a, b, c] = sides(unit);
  return { weightG: unit.weightG * quantity, lengthCm: a, widthCm: b, heightCm: c * quantity, attributes };
}
