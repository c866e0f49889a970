/** Text in the five languages of the platform: zh, en, vi, th, es. */
export interface Words {
  zh: string;
  en: string;
  vi: string;
  th: string;
  es: string;
}

/** A leaf category of the sandbox catalog, under a top-level one. */
export interface CategoryDef {
  /** Stable key, e.g. `womens-dresses`. */
  key: string;
  name: Words;
  /** Key of the top-level category. */
  parent: string;
}

export interface TopCategoryDef {
  key: string;
  name: Words;
}

/** A SKU property (for example 颜色分类 "colour", 尺码 "size") with its values. */
export interface PropertyDef {
  key: string;
  name: Words;
}

/** A value of a size-like property. */
export interface SizeValue {
  key: string;
  name: Words;
  /** Multiplies the product's base weight and price (1 for the middle size). */
  factor: number;
}

export interface ProductTypeDef {
  key: string;
  /** The noun used in titles, e.g. "dress", "连衣裙". */
  name: Words;
  /** Leaf category key. */
  category: string;
  /** Keys of materials that make sense for it. */
  materials: string[];
  /** Keys of styles that make sense for it. */
  styles: string[];
  /** Key of the size set its SKUs vary by, or null when it varies by colour only. */
  sizes: string | null;
  /** Typical unit price range in fen. */
  priceFen: [number, number];
  /** Typical weight range in grams. */
  weightG: [number, number];
  /** Typical package size in centimetres (length, width, height) for the middle size. */
  sizeCm: [number, number, number];
}

export interface Vocabulary {
  topCategories: TopCategoryDef[];
  categories: CategoryDef[];
  productTypes: ProductTypeDef[];
  materials: { key: string; name: Words }[];
  styles: { key: string; name: Words }[];
  colours: { key: string; name: Words; rgb: [number, number, number] }[];
  sizeSets: { key: string; property: PropertyDef; values: SizeValue[] }[];
  /** The colour property (颜色分类). */
  colourProperty: PropertyDef;
  /** Words for shop names: adjectives/place-like words and nouns, combined by the generator. */
  shopWords: { first: Words[]; second: Words[] };
  /** Chinese cities (with translations) for 1688 supplier locations. */
  cities: { province: Words; city: Words }[];
  /** Sentence templates for descriptions, with {material}, {colour}, {style}, {type} placeholders. */
  descriptionTemplates: Words[];
}
