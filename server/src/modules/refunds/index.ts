import type { AppModule } from '../../platform/module.js';
import { onRefundEvent } from './events.js';
import adminRefundGet from './routes/admin-refund-get.js';
import adminRefundList from './routes/admin-refund-list.js';
import alibabaLogisticsCompanyList from './routes/alibaba-logistics-company-list.js';
import alibabaRefundCreate from './routes/alibaba-refund-create.js';
import alibabaRefundGoodsReturn from './routes/alibaba-refund-goods-return.js';
import alibabaRefundInfo from './routes/alibaba-refund-info.js';
import alibabaRefundReasons from './routes/alibaba-refund-reasons.js';
import alibabaRefundVoucherUpload from './routes/alibaba-refund-voucher-upload.js';
import taobaoRefundCancel from './routes/taobao-refund-cancel.js';
import taobaoRefundMessageList from './routes/taobao-refund-message-list.js';
import taobaoRefundMessageSubmit from './routes/taobao-refund-message-submit.js';
import taobaoRefundModify from './routes/taobao-refund-modify.js';
import taobaoRefundQuery from './routes/taobao-refund-query.js';
import taobaoRefundQueryList from './routes/taobao-refund-query-list.js';
import taobaoRefundRender from './routes/taobao-refund-render.js';
import taobaoRefundReturnLogisticsRender from './routes/taobao-refund-return-logistics-render.js';
import taobaoRefundReturnLogisticsSubmit from './routes/taobao-refund-return-logistics-submit.js';
import taobaoRefundSubmit from './routes/taobao-refund-submit.js';
import { registerRefundWorkers } from './workers.js';

export { type CreateRefundInput, createRefund, refundableOf, refusalError } from './create.js';
export { refundCreditKey } from './credit.js';

/** After-sales: Taobao reverse orders (T16–T25) and 1688 refunds (A20–A25), docs/adr/0014. */
export const refundsModule: AppModule = {
  name: 'refunds',
  routes: [
    taobaoRefundQueryList,
    taobaoRefundRender,
    taobaoRefundReturnLogisticsRender,
    taobaoRefundReturnLogisticsSubmit,
    taobaoRefundCancel,
    taobaoRefundMessageSubmit,
    taobaoRefundSubmit,
    taobaoRefundMessageList,
    taobaoRefundModify,
    taobaoRefundQuery,
    alibabaRefundInfo,
    alibabaRefundReasons,
    alibabaRefundVoucherUpload,
    alibabaRefundCreate,
    alibabaRefundGoodsReturn,
    alibabaLogisticsCompanyList,
    adminRefundList,
    adminRefundGet,
  ],
  registerOutboxHandlers: registerRefundWorkers,
  onUpstreamEvent: onRefundEvent,
};
