import type { Localized } from '../../providers/types.js';
import type { GoodsAttribute } from './quote.js';

/**
 * What the goods hold that carriers care about, read from the product's category path, title and attributes: the
 * marketplace does not say whether a product has batteries or liquids (docs/adr/0015). Conservative: one keyword in
 * Chinese or English marks the goods; the warehouse's inspection corrects what the box really holds.
 */
const KEYWORDS: Record<Exclude<GoodsAttribute, 'brand'>, RegExp> = {
  battery:
    /电池|锂|充电宝|移动电源|蓝牙|耳机|电动|充电|\b(batter(y|ies)|lithium|power ?bank|rechargeable|bluetooth|cordless)\b/i,
  liquid:
    /液体|香水|精华液|乳液|墨水|洗发水|爽肤水|精油|食用油|白酒|红酒|\b(liquid|lotion|perfume|serum|oil|ink|gel|spray|shampoo)\b/i,
  powder: /粉(?!色)|\b(powder|talc)\b/i,
  food: /食品|零食|茶叶|咖啡|糖|饼干|坚果|调味|\b(food|snacks?|tea|coffee|candy|cookies?|nuts|spices?)\b/i,
};

/** Brand attribute values that mean "no brand". */
const NO_BRAND = /^(无|无品牌|其他|其它|oem|none|no ?brand|other|generic)?$/i;

export interface ClassifiedProduct {
  title: Localized;
  categoryPath: { name: Localized }[];
  attributes: { name: Localized; value: Localized }[];
}

export function goodsAttributes(product: ClassifiedProduct): GoodsAttribute[] {
  const texts = [
    product.title.zh,
    product.title.en,
    ...product.categoryPath.flatMap((c) => [c.name.zh, c.name.en]),
    ...product.attributes.flatMap((a) => [a.value.zh, a.value.en]),
  ].join(' \u2016 ');
  const found = (Object.keys(KEYWORDS) as Exclude<GoodsAttribute, 'brand'>[]).filter((k) => KEYWORDS[k].test(texts));
  const brand = product.attributes.find((a) => /品牌|^brand$/i.test(a.name.zh) || /^brand$/i.test(a.name.en));
  if (brand && !NO_BRAND.test(brand.value.zh.trim()) && !NO_BRAND.test(brand.value.en.trim())) {
    return [...found, 'brand'];
  }
  return found;
}
