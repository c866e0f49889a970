import type { ShippingAddress } from '../../src/providers/types.js';

/** What the upstream gateways' tests share: a log that keeps quiet, and the consolidation warehouse as the receiver. */

export const quiet = { info: () => {}, warn: () => {} };

/** Ponte's warehouse in China, where marketplace orders are delivered. */
export const WAREHOUSE: ShippingAddress = {
  receiver: 'Ponte Warehouse',
  phone: '13800000000',
  province: '广东省',
  city: '东莞市',
  district: '虎门镇',
  address: '集货仓 1 号',
  postcode: '523900',
};
