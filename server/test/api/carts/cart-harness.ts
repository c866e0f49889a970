import { expect } from 'vitest';
import type { ProviderProduct, ProviderSku } from '../../../src/providers/types.js';
import type { Credentials, Reply, TestServer } from '../../harness.js';
import { startGoodsServer } from '../goods/goods-harness.js';

/** A Taobao cart record, as the cart endpoints answer it. */
export interface TaobaoItem {
  id: string;
  itemId: number;
  skuId: string;
  mpId: string | null;
  mpSkuId: string | null;
  itemTitle: string;
  itemTitleTrans: string;
  itemPic: string;
  price: number;
  promotionPrice: number;
  properties: { propName: string; propNameTrans: string; valueName: string; valueNameTrans: string }[];
  quantity: number;
  shopId: number;
  shopName: string;
  shopNameTrans: string;
  skuQuantity: number;
  minOrderQuantity: number;
  reason: string | null;
  reasonText: string | null;
}

export interface TaobaoList {
  shopList: { shopId: number; shopName: string; shopNameTrans: string; items: TaobaoItem[] }[];
  invalidList: TaobaoItem[];
  total: number;
}

/** A 1688 cart item, as the cart endpoints answer it. */
export interface AlibabaItem {
  id: string;
  offerId: number;
  specId: string | null;
  skuId: number | null;
  itemTitle: string;
  itemTitleTrans: string;
  itemPic: string;
  price: number;
  quantity: number;
  amountOnSale: number;
  minOrderQuantity: number;
  reason: string | null;
  reasonText: string | null;
  sellerOpenId?: string | null;
  sellerNickName?: string;
}

export interface AlibabaList {
  enableList: { sellerOpenId: string | null; sellerNickName: string; cartItemInfos: AlibabaItem[] }[];
  disableList: { sellerOpenId: string | null; sellerNickName: string; cartItemInfos: AlibabaItem[] }[];
}

/** A product of the market and one of its SKUs. */
export interface Chosen {
  product: ProviderProduct;
  sku: ProviderSku;
}

export interface CartServer {
  server: TestServer;
  /** The developer (acting as its main account). */
  dev: Credentials;
  /** The same developer acting as a sub-account. */
  sub: Credentials;
  /** Another sub-account of the same developer. */
  sibling: Credentials;
  /** Another developer. */
  other: Credentials;
  taobaoIds: string[];
  alibabaIds: string[];
  /** A signed request as `who`. */
  call<T = unknown>(who: Credentials, method: string, url: string, body?: unknown): Promise<Reply<T>>;
  /** Distributable Taobao products, each with its first distributable SKU, whose stock is set to `stock`. */
  taobaoPicks(count: number, stock?: number): Promise<Chosen[]>;
  /** 1688 offers with a specification whose stock is set to `stock`; `filter` chooses among them. */
  alibabaPicks(count: number, stock?: number, filter?: (p: ProviderProduct) => boolean): Promise<Chosen[]>;
  /** Sets a SKU's stock through the sandbox's control API. */
  setStock(platform: 'taobao' | '1688', productId: string, stock: number, skuId?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startCartServer(): Promise<CartServer> {
  const g = await startGoodsServer();
  const { server, dev } = g;
  const other = await server.createDeveloper('Other developer');
  const subAccount = async (name: string): Promise<Credentials> => {
    const r = await server.signed<{ userId: string }>(dev, 'POST', '/open/user/create', { body: { name } });
    if (r.body.code !== 200) throw new Error(r.text);
    return { ...dev, userId: r.body.data.userId };
  };
  const sub = await subAccount('Store 1');
  const sibling = await subAccount('Store 2');
  const used = new Set<string>();
  const setStock = async (platform: 'taobao' | '1688', productId: string, stock: number, skuId?: string) => {
    const r = await server.admin('PUT', `/sandbox/${platform}/goods/${productId}/stock`, { stock, skuId });
    if (r.body.code !== 200) throw new Error(r.text);
  };
  /** Products not handed out before, so that tests changing stock or listing do not meet. */
  const picks = async (
    platform: 'taobao' | '1688',
    count: number,
    stock: number,
    ok: (p: ProviderProduct) => boolean,
  ) => {
    const market = platform === 'taobao' ? server.deps.market.taobao : server.deps.market.alibaba;
    const out: Chosen[] = [];
    for (const id of platform === 'taobao' ? g.taobaoIds : g.alibabaIds) {
      if (out.length === count) break;
      if (used.has(id)) continue;
      const product = await market.getProduct(id);
      const sku = product?.skus.find((s) => platform === '1688' || s.mpSkuId !== null);
      if (!product || !sku || product.status !== 'active' || !ok(product)) continue;
      used.add(id);
      await setStock(platform, id, stock, sku.skuId);
      out.push({ product, sku: { ...sku, stock, status: 'active' } });
    }
    if (out.length < count) throw new Error(`only ${out.length} ${platform} products fit`);
    return out;
  };
  return {
    server,
    dev,
    sub,
    sibling,
    other,
    taobaoIds: g.taobaoIds,
    alibabaIds: g.alibabaIds,
    call: (who, method, url, body) => server.signed(who, method, url, body === undefined ? {} : { body }),
    taobaoPicks: (count, stock = 500) =>
      picks('taobao', count, stock, (p) => p.mpId !== null && p.minOrderQuantity <= 1),
    alibabaPicks: (count, stock = 5000, filter = () => true) => picks('1688', count, stock, filter),
    setStock,
    close: () => g.close(),
  };
}

/** An error answer with `code` (and, for 40001, naming `field`). */
export function expectCode(r: Reply, code: number, field?: string): void {
  expect(r.body.code, r.text).toBe(code);
  expect(r.status, r.text).toBe(Math.floor(code / 100));
  if (field) expect(r.body.msg, r.text).toContain(`parameter ${field}:`);
}

/** A successful answer's data. */
export function ok<T>(r: Reply<T>): T {
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
}

/** The documented T30 example body, as-is (its mpId names nothing in the sandbox). */
export const T30_EXAMPLE = {
  userId: '2100007340000',
  platform: 1,
  itemId: 2048175493257375,
  skuId: '85',
  itemTitle: '英皇保罗男士长款银行皮夹钱包',
  itemPic: 'https://img.alicdn.com/imgextra/i1/2200723183810/O1CN01LKgvKM1e11dGRihYC_!!2200723183810.jpg',
  mpId: '26',
  mpSkuId: '65',
  price: 689,
  promotionPrice: 576,
  properties:
    '[{"valueId":28324,"valueName":"黄色","propId":1627207,"propName":"颜色分类"},{"valueId":3273546,"valueName":"52cm","propId":122216343,"propName":"参考身高"}]',
  quantity: 71,
  shopId: 42,
  shopName: '英皇保罗旗舰店',
  skuQuantity: '94',
  userNick: '介安琪',
};

/** The documented order address (T26's `orderAddress`). */
export const ORDER_ADDRESS = {
  zip: '11111',
  country: '中国',
  address: '测试地址',
  phone: '',
  mobile_phone: '',
  city: '杭州市',
  district: '余杭区',
  name: 'a测试aa',
  state: '浙江省',
};
