import type { AppModule } from '../../platform/module.js';
import alibabaCartAdd from './routes/alibaba-cart-add.js';
import alibabaCartDelete from './routes/alibaba-cart-delete.js';
import alibabaCartList from './routes/alibaba-cart-list.js';
import alibabaCartPreview from './routes/alibaba-cart-preview.js';
import alibabaCartUpdateQuantity from './routes/alibaba-cart-update-quantity.js';
import taobaoCartAdd from './routes/taobao-cart-add.js';
import taobaoCartDelete from './routes/taobao-cart-delete.js';
import taobaoCartList from './routes/taobao-cart-list.js';
import taobaoCartPreview from './routes/taobao-cart-preview.js';
import taobaoCartUpdateQuantity from './routes/taobao-cart-update-quantity.js';

export { AddressParam, AlibabaOrderPreview, toAlibabaPreview, toAlibabaShippingAddress } from './alibaba-preview.js';
export type { CartPlatform } from './carts.repo.js';
export { type CartLine, cartLinesForOrder, removeCartItems } from './carts.service.js';
export { OrderAddressInput, toShippingAddress } from './taobao-cart.schemas.js';

/** The shopping carts of Taobao (T27–T31) and 1688 (A27–A31); creating orders from them is the orders module's. */
export const cartsModule: AppModule = {
  name: 'carts',
  // In the order of the contract's route table.
  routes: [
    taobaoCartPreview,
    taobaoCartList,
    taobaoCartDelete,
    taobaoCartAdd,
    taobaoCartUpdateQuantity,
    alibabaCartDelete,
    alibabaCartPreview,
    alibabaCartUpdateQuantity,
    alibabaCartAdd,
    alibabaCartList,
  ],
};
