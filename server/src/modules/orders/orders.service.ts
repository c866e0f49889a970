/** The orders module's use cases: what its routes (and other modules, through index.ts) call. */
export { cancelOrder, chatLink, confirmReceipt, traceOrder, updateWarehouse } from './actions.js';
export { placeAlibabaOrders, placedOrders, placeOrder, previewLines, type SellerResult } from './create.js';
export { type PayResult, payOrder } from './pay.js';
export { decodeLine, getOrder, listOrders, type OrderFilter, partForLogistics, receiverOf } from './queries.js';
