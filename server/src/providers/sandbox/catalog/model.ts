import type { Words } from '../vocabulary.types.js';

export type Platform = 'taobao' | '1688';

/** A simulated shop (Taobao) or supplier (1688). */
export interface SandboxShop {
  platform: Platform;
  /** Taobao `shopId`, or the 1688 supplier's member id. */
  shopId: string;
  name: Words;
  /** Taobao seller nick / 1688 Wangwang nickname. */
  nick: string;
  /** 1688 only: the opaque seller id the open platform exposes. */
  sellerOpenId: string | null;
  /** 1688 only: the supplier's company. */
  companyName: Words | null;
  province: Words | null;
  city: Words | null;
  /** Rating out of 50 (4.8 stars = 48). */
  rating: number;
}

export interface SandboxSkuProperty {
  /** Property key (`colour`, `clothing-size`'s property key, ...). */
  property: string;
  /** Value key (a colour key or a size value key). */
  value: string;
}

export interface SandboxSku {
  /** Taobao `skuId`, or the 1688 `specId`. */
  skuId: string;
  properties: SandboxSkuProperty[];
  priceFen: number;
  promotionPriceFen: number;
  stock: number;
  weightG: number;
  /** Length, width, height of the package, centimetres. */
  sizeCm: [number, number, number];
  /** Taobao distribution SKU id, for distributable goods. */
  mpSkuId: string | null;
}

export interface TierPrice {
  minQuantity: number;
  priceFen: number;
}

export interface SandboxGood {
  platform: Platform;
  /** Taobao `itemId` or 1688 `offerId`. */
  id: string;
  /** Position in the catalog, from 0: with the seed it determines everything else. */
  index: number;
  shopId: string;
  category: string;
  productType: string;
  material: string;
  style: string;
  colours: string[];
  title: Words;
  description: Words;
  /** Lowest SKU price and promotion price, fen. */
  priceFen: number;
  promotionPriceFen: number;
  sales: number;
  shipIn24h: boolean;
  /** 1688 strict selection. */
  strictSelection: boolean;
  minOrderQuantity: number;
  /** 1688 quantity-tiered prices; empty on Taobao. */
  tierPrices: TierPrice[];
  /** Taobao distribution product id, when distributable. */
  mpId: string | null;
  /** Why it is not distributable, when it is not. */
  notDistributableReason: string | null;
  /** Feeds the deterministic image generator. */
  imageSeed: number;
  skus: SandboxSku[];
}
