import type { AppModule } from '../../platform/module.js';
import { onWarehouseEvent } from './expected.js';
import adminWarehouseExceptionList from './routes/admin-warehouse-exception-list.js';
import adminWarehouseExceptionResolve from './routes/admin-warehouse-exception-resolve.js';
import adminWarehouseItemGet from './routes/admin-warehouse-item-get.js';
import adminWarehouseItemInspect from './routes/admin-warehouse-item-inspect.js';
import adminWarehouseItemList from './routes/admin-warehouse-item-list.js';
import adminWarehouseItemReturn from './routes/admin-warehouse-item-return.js';
import adminWarehouseReceive from './routes/admin-warehouse-receive.js';
import warehouseItemGet from './routes/warehouse-item-get.js';
import warehouseItemList from './routes/warehouse-item-list.js';
import warehouseUpdateLogistics from './routes/warehouse-update-logistics.js';

export { itemsByIds, type WarehouseItemRow } from './items.repo.js';
export { packItems, shipItems } from './packing.js';
export { storageOf } from './storage.js';
export { GOODS_ATTRIBUTES } from './warehouse.schemas.js';

/** The consolidation warehouse between the two legs (docs/adr/0015): W3, receipts, inspection, storage. */
export const warehouseModule: AppModule = {
  name: 'warehouse',
  routes: [
    warehouseUpdateLogistics,
    warehouseItemList,
    warehouseItemGet,
    adminWarehouseReceive,
    adminWarehouseItemList,
    adminWarehouseItemGet,
    adminWarehouseItemInspect,
    adminWarehouseItemReturn,
    adminWarehouseExceptionList,
    adminWarehouseExceptionResolve,
  ],
  onUpstreamEvent: onWarehouseEvent,
};
