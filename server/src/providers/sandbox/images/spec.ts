import type { SandboxGood } from '../catalog/model.js';
import type { Vocabulary } from '../vocabulary.types.js';
import type { ImageSpec } from './render.js';

/**
 * The picture of a good: `view` 0 is its main picture (the one search indexes), 1..3 the others;
 * `colour` (a colour key of the good, its first by default) picks the SKU colour shown.
 */
export function imageSpecOf(
  vocab: Vocabulary,
  good: Pick<SandboxGood, 'imageSeed' | 'category' | 'productType' | 'colours'>,
  options: { view?: number; colour?: string } = {},
): ImageSpec {
  const colourKey = options.colour ?? good.colours[0];
  const colour = vocab.colours.find((c) => c.key === colourKey);
  if (!colour) throw new Error(`unknown colour ${String(colourKey)}`);
  const category = vocab.categories.find((c) => c.key === good.category);
  if (!category) throw new Error(`unknown category ${good.category}`);
  const view = options.view ?? 0;
  if (!Number.isInteger(view) || view < 0 || view > 3) throw new Error(`picture view must be 0..3, not ${view}`);
  return {
    imageSeed: good.imageSeed,
    topCategory: category.parent,
    productType: good.productType,
    rgb: [colour.rgb[0], colour.rgb[1], colour.rgb[2]],
    view,
  };
}
