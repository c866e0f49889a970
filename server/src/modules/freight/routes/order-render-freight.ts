import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Int, LanguageField, Strict, Text, Type } from '../../../platform/http/schema.js';
import { allChannels } from '../channels.repo.js';
import {
  ChannelQuote,
  FreightInfo,
  GOODS_ITEM_ID,
  GOODS_SKU_ID,
  GoodsItemId,
  GoodsSkuId,
  ReceiverAddress,
} from '../freight.schemas.js';
import { itemParcel } from '../item-parcel.js';
import { Currency, FreightInfoAsked, UnitPrice } from '../order.schemas.js';
import { channelSummaries, estimateAsAsked, type LineToQuote, quoteLines, refusalsOf } from '../preview.js';
import { GOODS_ATTRIBUTES } from '../quote.js';
import { insertRender, newRenderId, type RenderContent, receiverOf } from '../renders.repo.js';

const RenderItem = Type.Object({
  itemId: GoodsItemId(Text(GOODS_ITEM_ID, 40, '2048020617114736', 1)),
  skuId: GoodsSkuId(Text(GOODS_SKU_ID, 40, '413185732720', 1)),
  quantity: Int('Units', 1, 10_000, 1),
  freightInfo: FreightInfoAsked,
  currency: Currency,
  price: UnitPrice,
});

const Fen = (description: string, example: number) => Int(`${description} (fen)`, 0, Number.MAX_SAFE_INTEGER, example);

const ParcelOfLine = Type.Object({
  weightG: Int('Weight of the units (g)', 0, 1_000_000_000, 600),
  lengthCm: Int('Length (cm)', 0, 100_000, 30),
  widthCm: Int('Width (cm)', 0, 100_000, 20),
  heightCm: Int('Height (cm)', 0, 100_000, 6),
  attributes: Type.Array(Type.Enum([...GOODS_ATTRIBUTES]), {
    description:
      'What carriers care about in the goods, as Ponte reads the product: `battery`, `liquid`, `powder`, `food`, ' +
      '`brand`',
  }),
});

export default defineRoute({
  method: 'POST',
  url: '/open/pp/logistics/orderRenderFreight',
  operationId: 'freightOrderPreview',
  summary: 'Preview the international freight of an order',
  description:
    'Quotes every line of an order for the channel its `freightInfo.serviceId` names (or for every channel of the ' +
    'receiver’s country when it is empty), from the marketplace’s weight and size of each SKU (units stacked along ' +
    'their shortest side), with the actual, volumetric and chargeable weights and the reason a channel does not carry ' +
    'a line (weight, size, or goods such as batteries or liquids). Answers a `renderId` to book with ' +
    '(`orderBookingFreight`) until `expireTime` (24 h by default); per channel, the freight of the lines it was quoted ' +
    'for. Shipped rate cards are sample rates (`sample: true`). The system parameters may also be sent in the query ' +
    '(`sign` for `signature`).',
  tags: ['Warehouse logistics'],
  auth: 'signed-or-query',
  mutation: true,
  // The marketplace is asked for each item before the preview is written, outside the write's transaction.
  ownTransactions: true,
  errors: [40401, 50201, 50401],
  body: Strict({
    receiverAddress: ReceiverAddress,
    renderItems: Type.Array(RenderItem, { minItems: 1, maxItems: 50, description: 'The order’s lines' }),
    language: LanguageField,
  }),
  data: Type.Object({
    renderId: Type.String({
      description: 'The preview, to book with (`orderBookingFreight`)',
      examples: ['FF202408021796481939554000001'],
    }),
    expireTime: EpochMs('Until when it can be booked (epoch ms)'),
    country: Type.String({ description: 'The destination', examples: ['US'] }),
    renderItems: Type.Array(
      Type.Object({
        itemId: GoodsItemId(Type.String({ description: `The item: ${GOODS_ITEM_ID}` })),
        skuId: GoodsSkuId(Type.String({ description: `The SKU: ${GOODS_SKU_ID}` })),
        quantity: Int('Units', 1, 10_000, 1),
        title: Type.String({ description: 'The product’s title (the marketplace’s original)' }),
        imageUrl: Type.String({ description: 'The SKU’s picture (else the product’s)' }),
        parcel: ParcelOfLine,
        freightInfo: Type.Union([FreightInfo, Type.Null()], {
          description: 'The channel the line asked for; null when it asked for none',
        }),
        available: Type.Boolean({
          description: 'Whether the channel asked carries the line (with none asked: whether any channel does)',
        }),
        reasons: Type.Array(
          Type.Object({
            serviceId: Type.String({ description: 'The channel' }),
            code: Type.String({ description: '`overweight`, `over_length`, `over_girth` or `refused_goods`' }),
            detail: Type.String({ description: 'What it means' }),
          }),
          { description: 'Why channels quoted do not carry the line; empty when all do' },
        ),
        quotes: Type.Array(ChannelQuote, {
          description: 'The channel asked for, or every channel to the country, cheapest available first',
        }),
      }),
      { description: 'The lines, in the order sent' },
    ),
    channels: Type.Array(
      Type.Object({
        freightInfo: FreightInfo,
        sample: Type.Boolean({ description: 'True for Ponte’s sample rates' }),
        transitDays: Type.Object({ min: Int('Fewest days', 0, 365, 5), max: Int('Most days', 0, 365, 10) }),
        lines: Int('Lines it was quoted for', 0, 50, 2),
        available: Type.Boolean({ description: 'Whether it carries every line it was quoted for' }),
        freight: Fen('Freight of the lines it carries, in total', 35_400),
        currency: Type.Literal('CNY', { description: 'Currency of `freight`' }),
      }),
      { description: 'Per channel quoted, available ones first, cheapest first' },
    ),
    estimate: Type.Union([Fen('Freight', 35_400), Type.Null()], {
      description:
        'What booking every line on the channel it asked for would charge (fen); null when a line asked for none or ' +
        'its channel does not carry it',
    }),
  }),
  handler: async ({ deps, auth, body, answerIn }) => {
    const now = deps.clock.now();
    const country = body.receiverAddress.country.toUpperCase();
    const all = await allChannels(deps.database.db);
    const channels = all.filter((c) => c.active && c.country === country);
    if (channels.length === 0) {
      const known = [...new Set(all.filter((c) => c.active).map((c) => c.country))].sort();
      throw invalidParameter('receiverAddress.country', 'freightNoChannel', { country, values: known.join(', ') });
    }
    // Every channel asked for is checked before the marketplace is asked for anything.
    const asked = body.renderItems.map((item, i) => {
      const id = item.freightInfo.serviceId.trim();
      if (id === '') return null;
      const channel = channels.find((c) => c.id === id);
      if (!channel) {
        throw invalidParameter(`renderItems[${i}].freightInfo.serviceId`, 'freightChannelUnknown', {
          id,
          country,
          values: channels.map((c) => c.id).join(', '),
        });
      }
      return channel;
    });
    const toQuote: LineToQuote[] = [];
    for (const [i, item] of body.renderItems.entries()) {
      const { product, sku, parcel } = await itemParcel(deps, item.itemId, item.skuId, item.quantity);
      toQuote.push({
        itemId: item.itemId,
        skuId: item.skuId,
        quantity: item.quantity,
        title: product.title.zh,
        imageUrl: sku.imageUrl || product.mainImageUrl,
        currency: item.currency ?? null,
        price: item.price === undefined ? null : String(item.price),
        parcel,
        asked: asked[i] ?? null,
      });
    }
    const lines = quoteLines(channels, toQuote);
    const quoted = new Set(lines.flatMap((l) => l.quotes.map((q) => q.freightInfo.serviceId)));
    const content: RenderContent = { lines, channels: channels.filter((c) => quoted.has(c.id)) };
    const renderId = newRenderId(deps, now);
    const expireTime = now + deps.config.freight.renderTtlMs;
    const data = {
      renderId,
      expireTime,
      country,
      renderItems: lines.map((l) => {
        const chosen = l.askedServiceId === null ? null : l.quotes[0];
        return {
          itemId: l.itemId,
          skuId: l.skuId,
          quantity: l.quantity,
          title: l.title,
          imageUrl: l.imageUrl,
          parcel: l.parcel,
          freightInfo: chosen ? chosen.freightInfo : null,
          available: l.quotes.some((q) => q.available),
          reasons: refusalsOf(l),
          quotes: l.quotes,
        };
      }),
      channels: channelSummaries(lines).map((s) => ({ ...s, currency: 'CNY' as const })),
      estimate: estimateAsAsked(lines),
    };
    await deps.database.transaction(async (trx) => {
      await insertRender(trx, {
        id: renderId,
        develop_id: auth.developId,
        user_id: auth.userId,
        country,
        receiver: JSON.stringify(receiverOf(body.receiverAddress)),
        lines: JSON.stringify(content),
        created_at: now,
        expires_at: expireTime,
      });
      await answerIn(trx, data);
    });
    return data;
  },
});
