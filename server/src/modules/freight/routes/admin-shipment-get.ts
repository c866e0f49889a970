import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { AdminShipment, loadAdminShipments, ParcelId } from '../parcel-view.js';
import { shipmentById } from '../shipments.repo.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/shipments/:shipmentId',
  operationId: 'adminShipmentGet',
  summary: 'Get an international parcel',
  description: 'One parcel of any developer, with its history, items, ledger transactions and hold reason.',
  tags: ['Admin'],
  auth: 'admin',
  errors: [40401],
  params: Type.Object({ shipmentId: ParcelId('The parcel') }),
  data: AdminShipment,
  handler: async ({ db, params }) => {
    const row = await shipmentById(db, params.shipmentId);
    if (!row) throw notFound('parcel', params.shipmentId);
    const [shipment] = await loadAdminShipments(db, [row]);
    return shipment as NonNullable<typeof shipment>;
  },
});
