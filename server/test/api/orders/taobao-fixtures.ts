import { expect } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { type Credentials, type Reply, startServer, type TestServer } from '../../harness.js';

/** A Taobao order as T7, T8, T14 answer it (the fields the tests read). */
export interface TaobaoOrder {
  orderId: string;
  userId: string;
  status: string;
  payStatus: string;
  productFee: number;
  postFee: number;
  adjustFee: number;
  totalPrice: number;
  paidAmount: number;
  purchaseAmount: number | null;
  sellerOrderNumber: string | null;
  orderSource: string | null;
  receiver: Record<string, string>;
  warehouseName: string | null;
  warehouseAddress: string | null;
  version: number;
  language: string;
  subPurchaseOrders: {
    subPurchaseOrderId: string;
    purchaseOrderOuterId: string;
    status: string;
    supplierId: string;
    supplierNick: string;
    supplierNickTrans: string;
    totalPrice: number;
    orderLines: {
      purchaseOrderLineId: string;
      orderLineNo: string | null;
      itemId: string;
      skuId: string | null;
      itemTitle: string;
      itemTitleTrans: string;
      properties: Record<string, string>;
      propertiesTrans: Record<string, string>;
      quantity: number;
      price: number;
      totalPrice: number;
      status: string;
      mailNo: string | null;
      logisticsCompanyName: string | null;
    }[];
  }[];
}

export interface Message {
  messageId: string;
  messageType: string;
  messagePlatform: number;
  objectId: string;
  version: number;
  messageBody: Record<string, unknown>;
}

/** A Taobao SKU the tests can buy: distributable, with stock. */
export interface Sku {
  itemId: string;
  skuId: string;
  mpId: string;
  mpSkuId: string;
  shopId: string;
  priceFen: number;
}

/** The receiver of the tests' orders, in the contract's field names. */
export const RECEIVER = {
  name: 'Ponte 集运仓',
  phone: '',
  mobile_phone: '13800000000',
  country: '中国',
  state: '广东省',
  city: '东莞市',
  district: '虎门镇',
  address: '集货仓 1 号',
  zip: '523900',
};

/** T7's documented example, as published (its ids name nothing in the sandbox). */
export const T7_EXAMPLE = {
  purchaseAmount: 400,
  receiver:
    '{"zip":"11111","country":"中国","address":"测试地址","city":"杭州市","phone":"","mobile_phone":"15068763421","district":"余杭区","name":"a测试aa","state":"浙江省"}',
  orderLineList:
    '[{"itemId":"600126245031041190","orderLineNo":"1","quantity":"200","price":"1","currency":"CNY","skuId":"5016042822039"},{"itemId":"600129202197070073","orderLineNo":"1","quantity":"200","price":"1","currency":"CNY","skuId":"4860968496626"}]',
  orderSource: 'lazada',
  sellerOrderNumber: '1',
};

/** T26's documented example, as published. */
export const T26_EXAMPLE = {
  ids: [75, 76],
  orderAddress: {
    zip: '11111',
    country: '中国',
    address: '测试地址',
    phone: '',
    mobile_phone: '',
    city: '杭州市',
    district: '余杭区',
    name: 'a测试aa',
    state: '浙江省',
  },
  userId: '2100007340000',
};

export interface TaobaoServer {
  server: TestServer;
  /** The server's clock (the sandbox market's too): moves only when told. */
  clock: ManualClock;
  /** The developer's main account, one of its sub-accounts, another sub-account, another developer. */
  dev: Credentials;
  sub: Credentials;
  sibling: Credentials;
  other: Credentials;
  /** SKUs of distinct shops, found by search (T2) and details (T4). */
  skus: Sku[];
  post<T = unknown>(who: Credentials, url: string, body: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  get<T = unknown>(who: Credentials, url: string): Promise<Reply<T>>;
  /** T7 with these SKUs (one unit each unless given), as values; answers the reply. */
  create(
    who: Credentials,
    lines: { sku: Sku; quantity?: number }[],
    extra?: Record<string, unknown>,
  ): Promise<Reply<TaobaoOrder>>;
  /** T7 that must succeed: the order. */
  order(who: Credentials, skus: Sku[], extra?: Record<string, unknown>): Promise<TaobaoOrder>;
  /** T14 that must succeed. */
  detail(who: Credentials, orderId: string, language?: string): Promise<TaobaoOrder>;
  topUp(developId: string, fen: number): Promise<void>;
  balance(who: Credentials): Promise<number>;
  /** Moves both clocks forward, runs what fell due in the market, and hands the events to the orders. */
  advance(ms: number): Promise<void>;
  /** The messages written about an order, oldest first. */
  messages(who: Credentials, orderId: string): Promise<Message[]>;
  close(): Promise<void>;
}

const SHIP_AFTER_MS = 3_600_000;

async function findSkus(server: TestServer, dev: Credentials): Promise<Sku[]> {
  const search = await server.signed<{ list: { itemId: number; mpId: string | null; shopId: number }[] }>(
    dev,
    'POST',
    '/open/product/item/search',
    { body: { keyword: '', pageSize: 40, pageNo: 1 } },
  );
  expect(search.body.code, search.text).toBe(200);
  const out: Sku[] = [];
  const shops = new Set<number>();
  for (const hit of search.body.data.list) {
    if (!hit.mpId || shops.has(hit.shopId)) continue;
    const p = await server.signed<{
      status: string;
      beginAmount: number;
      mpId: string;
      skuList: { skuId: string; mpSkuId: string | null; quantity: number; promotionPrice: number }[];
    }>(dev, 'GET', `/open/product/get?itemId=${hit.itemId}`);
    const sku = p.body.data.skuList.find((s) => s.mpSkuId && s.quantity >= 50);
    if (p.body.data.status !== 'active' || p.body.data.beginAmount > 1 || !sku?.mpSkuId) continue;
    shops.add(hit.shopId);
    out.push({
      itemId: String(hit.itemId),
      skuId: sku.skuId,
      mpId: p.body.data.mpId,
      mpSkuId: sku.mpSkuId,
      shopId: String(hit.shopId),
      priceFen: sku.promotionPrice,
    });
    if (out.length === 4) break;
  }
  expect(out.length).toBeGreaterThanOrEqual(3);
  return out;
}

export async function startTaobaoServer(): Promise<TaobaoServer> {
  // Real time at first, so that the SDK (which signs with the real clock) can be used until it moves.
  const clock = new ManualClock(Date.now());
  const server = await startServer({
    env: {
      SANDBOX_GOODS: '150',
      SANDBOX_SEED: '4',
      UPSTREAM_TIMEOUT_MS: '2000',
      RATE_LIMIT_PER_SECOND: '10000',
      RATE_LIMIT_BURST: '10000',
    },
    overrides: { clock },
  });
  server.deps.sandbox?.ensureSeeded();
  // No surprise price changes; sellers ship an hour after payment.
  const policy = await server.admin('PUT', '/sandbox/policy', { priceModifyRate: 0, shipAfterMs: SHIP_AFTER_MS });
  if (policy.body.code !== 200) throw new Error(`policy: ${policy.text}`);
  const dev = await server.createDeveloper('Taobao buyer');
  const other = await server.createDeveloper('Another developer');
  const subAccount = async (name: string): Promise<Credentials> => {
    const r = await server.signed<{ userId: string }>(dev, 'POST', '/open/user/create', { body: { name } });
    if (r.body.code !== 200) throw new Error(r.text);
    return { ...dev, userId: r.body.data.userId };
  };
  const sub = await subAccount('Store 1');
  const sibling = await subAccount('Store 2');
  const skus = await findSkus(server, dev);
  const post = <T>(who: Credentials, url: string, body: unknown, headers: Record<string, string> = {}) =>
    server.signed<T>(who, 'POST', url, { body, headers });
  const get = <T>(who: Credentials, url: string) => server.signed<T>(who, 'GET', url);
  const create = (who: Credentials, lines: { sku: Sku; quantity?: number }[], extra: Record<string, unknown> = {}) =>
    post<TaobaoOrder>(who, '/open/order', {
      orderLineList: lines.map(({ sku, quantity }, i) => ({
        itemId: sku.itemId,
        skuId: sku.skuId,
        quantity: quantity ?? 1,
        orderLineNo: String(i + 1),
      })),
      receiver: RECEIVER,
      ...extra,
    });
  return {
    server,
    clock,
    dev,
    sub,
    sibling,
    other,
    skus,
    post,
    get,
    create,
    async order(who, chosen, extra = {}) {
      const r = await create(
        who,
        chosen.map((sku) => ({ sku })),
        extra,
      );
      expect(r.body.code, r.text).toBe(200);
      return r.body.data;
    },
    async detail(who, orderId, language = 'en') {
      const r = await get<TaobaoOrder>(who, `/open/order/get?orderId=${orderId}&language=${language}`);
      expect(r.body.code, r.text).toBe(200);
      return r.body.data;
    },
    async topUp(developId, fen) {
      const r = await server.admin('POST', `/admin/developers/${developId}/topups`, {
        amount: fen,
        reference: `test-${fen}-${Math.random().toString(36).slice(2, 12)}`,
      });
      if (r.body.code !== 200) throw new Error(`top-up: ${r.text}`);
    },
    async balance(who) {
      const r = await get<{ balance: number }>(who, '/open/account/balance');
      expect(r.body.code, r.text).toBe(200);
      return r.body.data.balance;
    },
    async advance(ms) {
      clock.advance(ms);
      const r = await server.admin('POST', '/sandbox/clock/advance', { seconds: 0 });
      expect(r.body.code, r.text).toBe(200);
      await server.drainOutbox();
    },
    async messages(who, orderId) {
      const r = await get<{ messages: Message[] }>(who, `/open/message/list?objectId=${orderId}&pageSize=50`);
      expect(r.body.code, r.text).toBe(200);
      return r.body.data.messages.reverse();
    },
    close: () => server.close(),
  };
}

/** An error answer with `code` (and, for 40001, naming `field`). */
export function expectCode(r: Reply, code: number, field?: string): void {
  expect(r.body.code, r.text).toBe(code);
  expect(r.status, r.text).toBe(Math.floor(code / 100));
  if (field) expect(r.body.msg, r.text).toContain(`parameter ${field}:`);
}
