import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { loadParcels, Parcel, ParcelId } from '../parcel-view.js';
import { findOwnShipment } from '../shipments.repo.js';

export default defineRoute({
  method: 'GET',
  url: '/open/pp/logistics/parcels/:parcelId',
  operationId: 'parcelGet',
  summary: 'Get an international parcel',
  description:
    'One of your parcels (a sub-account: its own) with its history: lines, channel, estimate, actual freight and ' +
    'settlement, storage fees, weights and size as packed, the warehouse items in it, tracking, ledger transactions.',
  tags: ['Warehouse logistics'],
  auth: 'signed',
  errors: [40401],
  params: Type.Object({ parcelId: ParcelId('The parcel') }),
  data: Parcel,
  handler: async ({ db, auth, params }) => {
    const row = await findOwnShipment(db, auth, params.parcelId);
    if (!row) throw notFound('parcel', params.parcelId);
    const [parcel] = await loadParcels(db, [row]);
    return parcel as NonNullable<typeof parcel>;
  },
});
