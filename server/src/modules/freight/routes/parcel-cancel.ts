import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { loadParcels, Parcel, ParcelId } from '../parcel-view.js';
import { cancelShipment } from '../parcels.js';
import { findOwnShipment, lockShipment } from '../shipments.repo.js';

export default defineRoute({
  method: 'POST',
  url: '/open/pp/logistics/parcels/:parcelId/cancel',
  operationId: 'parcelCancel',
  summary: 'Cancel a booked parcel',
  description:
    'Cancels one of your parcels (a sub-account: its own) before the warehouse packs it: its estimate goes back to ' +
    'your balance, once (`PARCEL_CANCELLED`). A parcel already cancelled is answered as it is; one packed or later ' +
    'answers 40901.',
  tags: ['Warehouse logistics'],
  auth: 'signed',
  mutation: true,
  errors: [40401, 40901],
  params: Type.Object({ parcelId: ParcelId('The parcel') }),
  data: Parcel,
  handler: async ({ deps, db, auth, params }) => {
    const own = await findOwnShipment(db, auth, params.parcelId);
    if (!own) throw notFound('parcel', params.parcelId);
    const locked = await lockShipment(db, deps, own.id);
    const row = await cancelShipment(db, deps, locked ?? own, 'api:cancel');
    const [parcel] = await loadParcels(db, [row]);
    return parcel as NonNullable<typeof parcel>;
  },
});
