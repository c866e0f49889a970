import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Int, LanguageField, Strict, Text, Type } from '../../../platform/http/schema.js';
import { allChannels } from '../channels.repo.js';
import {
  ChannelQuote,
  GOODS_ITEM_ID,
  GOODS_SKU_ID,
  GoodsItemId,
  GoodsSkuId,
  ReceiverAddress,
  toChannelQuote,
} from '../freight.schemas.js';
import { itemParcel } from '../item-parcel.js';
import { quote } from '../quote.js';

export default defineRoute({
  method: 'POST',
  url: '/open/pp/logistics/itemLogisticsPrice',
  operationId: 'freightItemEstimate',
  summary: 'Estimate the international freight of one item',
  description:
    'What sending `quantity` units of a SKU to the receiver’s country costs on each channel of the rate cards, from ' +
    'the marketplace’s weight and size of the SKU (units stacked along their shortest side): the actual, volumetric ' +
    'and chargeable weights, the freight, and the reason a channel does not carry the goods (weight, size, or goods ' +
    'such as batteries or liquids). The item is looked up on Taobao, then 1688. Shipped rate cards are sample rates ' +
    '(`sample: true`). The system parameters may also be sent in the query (`sign` for `signature`).',
  tags: ['Warehouse logistics'],
  auth: 'signed-or-query',
  errors: [40401, 50201, 50401],
  body: Strict({
    itemId: GoodsItemId(Text(GOODS_ITEM_ID, 40, '2048232789087639', 1)),
    skuId: GoodsSkuId(Text(GOODS_SKU_ID, 40, '4970432383383', 1)),
    receiverAddress: ReceiverAddress,
    quantity: Int('Units', 1, 10_000, 1),
    currency: Type.Optional(Text('Currency of `price`', 8, 'CNY')),
    price: Type.Optional(
      Type.Union([Text('Unit price, as text', 20, '68.00'), Type.Number()], {
        description: 'Unit price (kept for the record)',
      }),
    ),
    language: LanguageField,
  }),
  data: Type.Object({
    itemId: GoodsItemId(Type.String({ description: `The item: ${GOODS_ITEM_ID}` })),
    skuId: GoodsSkuId(Type.String({ description: `The SKU: ${GOODS_SKU_ID}` })),
    quantity: Int('Units', 1, 10_000, 1),
    country: Type.String({ description: 'The destination', examples: ['US'] }),
    parcel: Type.Object({
      weightG: Int('Weight of the units (g)', 0, 1_000_000_000, 600),
      lengthCm: Int('Length (cm)', 0, 100_000, 30),
      widthCm: Int('Width (cm)', 0, 100_000, 20),
      heightCm: Int('Height (cm)', 0, 100_000, 6),
      attributes: Type.Array(
        Type.Union([
          Type.Literal('battery'),
          Type.Literal('liquid'),
          Type.Literal('powder'),
          Type.Literal('food'),
          Type.Literal('brand'),
        ]),
        {
          description:
            'What carriers care about in the goods, as Ponte reads the product: `battery`, `liquid`, `powder`, ' +
            '`food`, `brand`',
        },
      ),
    }),
    channels: Type.Array(ChannelQuote, { description: 'One per channel to the country, cheapest available first' }),
  }),
  handler: async ({ deps, db, body }) => {
    const country = body.receiverAddress.country.toUpperCase();
    const all = await allChannels(db);
    const channels = all.filter((c) => c.active && c.country === country);
    if (channels.length === 0) {
      const known = [...new Set(all.filter((c) => c.active).map((c) => c.country))].sort();
      throw invalidParameter('receiverAddress.country', 'freightNoChannel', { country, values: known.join(', ') });
    }
    const { parcel } = await itemParcel(deps, body.itemId, body.skuId, body.quantity);
    const quotes = channels.map((c) => toChannelQuote(c, quote(c, parcel), parcel.weightG));
    quotes.sort((a, b) => Number(b.available) - Number(a.available) || a.freight - b.freight);
    return {
      itemId: body.itemId,
      skuId: body.skuId,
      quantity: body.quantity,
      country,
      parcel: {
        weightG: parcel.weightG,
        lengthCm: parcel.lengthCm,
        widthCm: parcel.widthCm,
        heightCm: parcel.heightCm,
        attributes: parcel.attributes,
      },
      channels: quotes,
    };
  },
});
