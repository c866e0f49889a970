import { defineRoute } from '../../../platform/http/route.js';
import { Int, LanguageField, Strict, Text, Type } from '../../../platform/http/schema.js';
import { bookFreight } from '../booking.js';
import { GOODS_ITEM_ID, GOODS_SKU_ID, GoodsItemId, GoodsSkuId, ReceiverAddress } from '../freight.schemas.js';
import { Currency, FreightInfoAsked, UnitPrice } from '../order.schemas.js';
import { loadParcels, Parcel } from '../parcel-view.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });

const LineItem = Type.Object({
  itemId: GoodsItemId(Text(`${GOODS_ITEM_ID}; a line of the preview`, 40, '2048020617114736', 1)),
  skuId: GoodsSkuId(Text(GOODS_SKU_ID, 40, '413185732720', 1)),
  quantity: Int('Units, as previewed', 1, 10_000, 1),
  title: Type.Optional(Text('Title to show (else the product’s)', 500, '这是商品1')),
  imageUrl: Type.Optional(Text('Picture to show (else the SKU’s)', 2000, 'url')),
  freightInfo: Type.Optional(FreightInfoAsked),
  currency: Currency,
  price: UnitPrice,
});

export default defineRoute({
  method: 'POST',
  url: '/open/pp/logistics/orderBookingFreight',
  operationId: 'freightBook',
  summary: 'Book the international freight of a preview',
  description:
    'Books lines of a preview (`renderId` of `orderRenderFreight`, before it expires) on channels it quoted them ' +
    'available on: `lineItems` name the lines (item, SKU and quantity as previewed) and each one’s channel ' +
    '(`freightInfo.serviceId`, else the one the line asked for); none names every line on the channel it asked for. ' +
    'One parcel per channel, each charged its estimate (the sum of its lines’ quotes) from your balance at once; the ' +
    'warehouse weighs it when packing and settles the difference (`PARCEL_PACKED`). Booking a preview again answers ' +
    'the parcels already booked and charges nothing more. Expired previews answer 40901, a balance short of the ' +
    'estimate 42201 (nothing is booked). The system parameters may also be sent in the query (`sign` for ' +
    '`signature`).',
  tags: ['Warehouse logistics'],
  auth: 'signed-or-query',
  mutation: true,
  errors: [40401, 40901, 42201],
  body: Strict({
    renderId: Type.Optional(Nullable(Text('The preview', 64, 'FF2024080200007'), 'The preview to book (required)')),
    receiverAddress: Type.Optional(ReceiverAddress),
    lineItems: Type.Optional(
      Nullable(
        Type.Array(LineItem, { maxItems: 50 }),
        'The lines to book, each a line of the preview; empty or null for every line on the channel it asked for',
      ),
    ),
    tmallOrderInfo: Type.Optional(
      Nullable(
        Type.Object({
          tmallOrderId: Type.Optional(Nullable(Text('Your order reference', 64, '123123444'), 'Your order reference')),
        }),
        'Your order',
      ),
    ),
    remark: Type.Optional(Nullable(Text('A note', 500, ''), 'A note for the warehouse')),
    language: LanguageField,
  }),
  data: Type.Object({
    renderId: Type.String({ description: 'The preview booked', examples: ['FF202408021796481939554000001'] }),
    parcels: Type.Array(Parcel, { description: 'One parcel per channel, in the order of their first line' }),
  }),
  handler: async ({ deps, db, auth, body }) => {
    const booked = await bookFreight(db, deps, auth, {
      renderId: body.renderId,
      ...(body.receiverAddress ? { receiverAddress: body.receiverAddress } : {}),
      ...(body.lineItems ? { lineItems: body.lineItems } : {}),
      tmallOrderId: body.tmallOrderInfo?.tmallOrderId ?? null,
      remark: body.remark ?? null,
    });
    return { renderId: booked.renderId, parcels: await loadParcels(db, booked.shipments) };
  },
});
