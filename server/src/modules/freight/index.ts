import type { AppModule } from '../../platform/module.js';
import adminChannelsCsv from './routes/admin-channels-csv.js';
import adminChannelsImport from './routes/admin-channels-import.js';
import adminShipmentCancel from './routes/admin-shipment-cancel.js';
import adminShipmentDeliver from './routes/admin-shipment-deliver.js';
import adminShipmentGet from './routes/admin-shipment-get.js';
import adminShipmentList from './routes/admin-shipment-list.js';
import adminShipmentPack from './routes/admin-shipment-pack.js';
import adminShipmentShip from './routes/admin-shipment-ship.js';
import itemLogisticsPrice from './routes/item-logistics-price.js';
import orderBookingFreight from './routes/order-booking-freight.js';
import orderRenderFreight from './routes/order-render-freight.js';
import parcelCancel from './routes/parcel-cancel.js';
import parcelGet from './routes/parcel-get.js';
import parcelList from './routes/parcel-list.js';

/**
 * International freight (docs/adr/0015): rate cards, estimates, previews and bookings (W1, W2, W4), and the parcels
 * booked: the developer's reads and cancel, the operator's pack (with the settlement), ship, deliver and cancel.
 */
export const freightModule: AppModule = {
  name: 'freight',
  routes: [
    itemLogisticsPrice,
    orderRenderFreight,
    orderBookingFreight,
    parcelList,
    parcelGet,
    parcelCancel,
    adminChannelsCsv,
    adminChannelsImport,
    adminShipmentList,
    adminShipmentGet,
    adminShipmentPack,
    adminShipmentShip,
    adminShipmentDeliver,
    adminShipmentCancel,
  ],
};
