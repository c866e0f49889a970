import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { AdminShipment, loadAdminShipments, ParcelId } from '../parcel-view.js';
import { deliverShipment } from '../parcels.js';
import { lockShipment } from '../shipments.repo.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/shipments/:shipmentId/deliver',
  operationId: 'adminShipmentDeliver',
  summary: 'Mark a shipped parcel delivered',
  description: 'A shipped parcel reached its receiver (`PARCEL_DELIVERED`). Any other status answers 40901.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401, 40901],
  params: Type.Object({ shipmentId: ParcelId('The parcel') }),
  data: AdminShipment,
  handler: async ({ deps, db, params }) => {
    const row = await lockShipment(db, deps, params.shipmentId);
    if (!row) throw notFound('parcel', params.shipmentId);
    const [shipment] = await loadAdminShipments(db, [await deliverShipment(db, deps, row)]);
    return shipment as NonNullable<typeof shipment>;
  },
});
