import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Text, Type } from '../../../platform/http/schema.js';
import { AdminShipment, loadAdminShipments, ParcelId } from '../parcel-view.js';
import { shipShipment } from '../parcels.js';
import { lockShipment } from '../shipments.repo.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/shipments/:shipmentId/ship',
  operationId: 'adminShipmentShip',
  summary: 'Ship a packed parcel',
  description:
    'A packed parcel left the warehouse with its international carrier and tracking number: it and its items are ' +
    '`shipped` (`PARCEL_SHIPPED`). Any other status answers 40901.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401, 40901],
  params: Type.Object({ shipmentId: ParcelId('The parcel') }),
  body: Strict({
    carrier: Text('The international carrier', 100, 'YunExpress', 1),
    trackingNo: Text('Its tracking number', 64, 'YT2412345678901', 1),
  }),
  data: AdminShipment,
  handler: async ({ deps, db, params, body }) => {
    const row = await lockShipment(db, deps, params.shipmentId);
    if (!row) throw notFound('parcel', params.shipmentId);
    const [shipment] = await loadAdminShipments(db, [await shipShipment(db, deps, row, body.carrier, body.trackingNo)]);
    return shipment as NonNullable<typeof shipment>;
  },
});
