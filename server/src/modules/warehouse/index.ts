import type { AppModule } from '../../platform/module.js';

/** The consolidation warehouse between the two legs (docs/adr/0015): W3, receipts, inspection, storage. */
export const warehouseModule: AppModule = {
  name: 'warehouse',
  routes: [],
};
