/** An address as F1 and F2 answer it. */
export interface Address {
  id: string;
  name: string;
  phone: string;
  mobilePhone: string;
  country: string;
  province: string;
  city: string;
  district: string;
  address: string;
  zip: string;
  isDefault: boolean;
  createTime: number;
  updateTime: number;
}

/** The documented body of F2, its `id` 0 adding an address. */
export const F2_EXAMPLE = {
  id: 0,
  name: 'a测试aa',
  province: '浙江省',
  city: '杭州市',
  district: '余杭区',
  address: '测试地址',
  phone: '15068763421',
};
