import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { AdminShipment, loadAdminShipments, ParcelId } from '../parcel-view.js';
import { cancelShipment } from '../parcels.js';
import { lockShipment } from '../shipments.repo.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/shipments/:shipmentId/cancel',
  operationId: 'adminShipmentCancel',
  summary: 'Cancel a booked parcel',
  description:
    'Cancels a parcel before it is packed: its estimate goes back to the developer’s balance, once ' +
    '(`freight-cancel:{parcelId}`, `PARCEL_CANCELLED`). A parcel already cancelled is answered as it is; one packed ' +
    'or later answers 40901.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401, 40901],
  params: Type.Object({ shipmentId: ParcelId('The parcel') }),
  data: AdminShipment,
  handler: async ({ deps, db, params }) => {
    const row = await lockShipment(db, deps, params.shipmentId);
    if (!row) throw notFound('parcel', params.shipmentId);
    const [shipment] = await loadAdminShipments(db, [await cancelShipment(db, deps, row, 'admin:cancel')]);
    return shipment as NonNullable<typeof shipment>;
  },
});
