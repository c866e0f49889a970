import { defineRoute } from '../../../platform/http/route.js';
import { Int, Strict, Type } from '../../../platform/http/schema.js';
import { packShipment } from '../packing.js';
import { AdminShipment, loadAdminShipments, ParcelId } from '../parcel-view.js';
import { type ShipmentRow, shipmentById } from '../shipments.repo.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/shipments/:shipmentId/pack',
  operationId: 'adminShipmentPack',
  summary: 'Pack a booked parcel and settle its freight',
  description:
    'The warehouse packed the booking’s goods (`itemIds`: the developer’s `stored` items of the booking’s lines) and ' +
    'measured the parcel: it is quoted on the booked channel (as booked) with the goods’ attributes (inspection’s, ' +
    'else read from the product), and in one transaction the difference with the estimate is settled ' +
    '(`freight-settle:{parcelId}`: the gap charged to the developer’s balance, the surplus refunded), the goods’ ' +
    'storage fees charged, the items and the parcel `packed` (`PARCEL_PACKED`). A repeated or concurrent request ' +
    'answers 40901: the money moves once. The channel refusing the parcel (weight, size, goods) answers 40001 with ' +
    'its reason, a balance short of the gap or the fees 42201; either way nothing is packed and `holdReason` says why.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  // The refusal's reason is recorded after the pack's transaction rolled back.
  ownTransactions: true,
  errors: [40401, 40901, 42201],
  params: Type.Object({ shipmentId: ParcelId('The parcel') }),
  body: Strict({
    itemIds: Type.Array(Type.String({ maxLength: 24, examples: ['WI1796481939554000009'] }), {
      minItems: 1,
      maxItems: 200,
      description: 'The warehouse items packed into it',
    }),
    weightG: Int('Weight as packed (g)', 1, 1_000_000_000, 1240),
    lengthCm: Int('Length (cm)', 1, 100_000, 40),
    widthCm: Int('Width (cm)', 1, 100_000, 30),
    heightCm: Int('Height (cm)', 1, 100_000, 20),
  }),
  data: AdminShipment,
  handler: async ({ deps, params, body, answerIn }) => {
    let answered: Awaited<ReturnType<typeof loadAdminShipments>>[number] | undefined;
    await packShipment(deps, params.shipmentId, body, async (trx, id) => {
      const [shipment] = await loadAdminShipments(trx, [(await shipmentById(trx, id)) as ShipmentRow]);
      answered = shipment;
      if (shipment) await answerIn(trx, shipment);
    });
    return answered as NonNullable<typeof answered>;
  },
});
