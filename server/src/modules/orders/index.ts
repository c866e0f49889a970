import type { AppModule } from '../../platform/module.js';
import { onOrderEvent } from './events.js';
import { registerPayPage } from './pay-page.js';
import adminOrderGet from './routes/admin-order-get.js';
import adminOrderList from './routes/admin-order-list.js';
import alibabaCartCreateOrder from './routes/alibaba-cart-create-order.js';
import alibabaOrderBatchCreate from './routes/alibaba-order-batch-create.js';
import alibabaOrderBatchPay from './routes/alibaba-order-batch-pay.js';
import alibabaOrderCancel from './routes/alibaba-order-cancel.js';
import alibabaOrderCreate from './routes/alibaba-order-create.js';
import alibabaOrderDetail from './routes/alibaba-order-detail.js';
import alibabaOrderPage from './routes/alibaba-order-page.js';
import alibabaOrderPayUrl from './routes/alibaba-order-pay-url.js';
import alibabaOrderPreview from './routes/alibaba-order-preview.js';
import alibabaOrderPreviewBatch from './routes/alibaba-order-preview-batch.js';
import alibabaOrderReceiveConfirm from './routes/alibaba-order-receive-confirm.js';
import alibabaOrderTrace from './routes/alibaba-order-trace.js';
import cartCreateOrder from './routes/cart-create-order.js';
import taobaoOrderCancel from './routes/taobao-order-cancel.js';
import taobaoOrderCreate from './routes/taobao-order-create.js';
import taobaoOrderGet from './routes/taobao-order-get.js';
import taobaoOrderImLink from './routes/taobao-order-im-link.js';
import taobaoOrderLogistics from './routes/taobao-order-logistics.js';
import taobaoOrderPage from './routes/taobao-order-page.js';
import taobaoOrderPay from './routes/taobao-order-pay.js';
import taobaoOrderWarehouse from './routes/taobao-order-warehouse.js';
import taobaoPayVoucherUpload from './routes/taobao-pay-voucher-upload.js';
import { registerOrderWorkers } from './workers.js';

export { marketOf } from './create.js';
export { writeOrderMessage } from './messages.js';
export { findOwnOrder, lockOrder } from './orders.repo.js';
export { closedStatus, finishedStatus, TAOBAO_STATUS } from './orders.states.js';
export type { LineRow, OrderRow, PartRow, Platform } from './orders.types.js';
export { decodeLine } from './queries.js';
export { propertyMap, shopName } from './taobao.schemas.js';
export { movePart, partCanMove } from './transitions.js';

export const ordersModule: AppModule = {
  name: 'orders',
  routes: [
    alibabaCartCreateOrder,
    alibabaOrderBatchCreate,
    alibabaOrderBatchPay,
    alibabaOrderCancel,
    alibabaOrderCreate,
    alibabaOrderDetail,
    alibabaOrderPage,
    alibabaOrderPayUrl,
    alibabaOrderPreview,
    alibabaOrderPreviewBatch,
    alibabaOrderReceiveConfirm,
    alibabaOrderTrace,
    cartCreateOrder,
    taobaoOrderCancel,
    taobaoOrderCreate,
    taobaoOrderGet,
    taobaoOrderImLink,
    taobaoOrderLogistics,
    taobaoOrderPage,
    taobaoOrderPay,
    taobaoOrderWarehouse,
    taobaoPayVoucherUpload,
    adminOrderList,
    adminOrderGet,
  ],
  registerOutboxHandlers: registerOrderWorkers,
  registerRaw: registerPayPage,
  onUpstreamEvent: onOrderEvent,
};
