import type { AppModule } from '../../platform/module.js';
import adminChannelsCsv from './routes/admin-channels-csv.js';
import adminChannelsImport from './routes/admin-channels-import.js';
import itemLogisticsPrice from './routes/item-logistics-price.js';

/** International freight: rate cards, estimates, previews and bookings (W1–W4), docs/adr/0015. */
export const freightModule: AppModule = {
  name: 'freight',
  routes: [itemLogisticsPrice, adminChannelsCsv, adminChannelsImport],
};
