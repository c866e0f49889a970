import type { ShippingAddress } from '../../src/providers/types.js';

/** A consolidation warehouse in China: where sandbox orders in the tests are shipped. */
export const WAREHOUSE_ADDRESS: ShippingAddress = {
  receiver: 'Ponte Warehouse',
  phone: '13800000000',
  province: '广东省',
  city: '东莞市',
  district: '虎门镇',
  address: '集货仓 1 号',
};
