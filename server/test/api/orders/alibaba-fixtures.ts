import { expect } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { type Credentials, type Reply, startServer, type TestServer } from '../../harness.js';

/** A 1688 offer the tests can buy: a specification with stock, and the offer's supplier and minimum. */
export interface Offer {
  offerId: string;
  specId: string;
  sellerOpenId: string;
  minOrderQuantity: number;
  stock: number;
}

/** An order detail as `/alibaba/order/detail` answers it (the fields the tests read). */
export interface Detail {
  baseInfo: {
    id: string;
    status: string;
    totalAmount: number;
    sumProductPayment: number;
    shippingFee: number;
    payState: string;
    buyerID: string;
    sellerOpenId: string | null;
    flowTemplateCode: string | null;
    tradeType: string | null;
    remark: string;
    receiverInfo: { toFullName: string; toMobile: string; toArea: string };
    closeReason: string | null;
  };
  productItems: {
    subItemID: string;
    productID: number;
    specId: string | null;
    quantity: number;
    price: number;
    itemAmount: number;
    logisticsStatus: number;
  }[];
  nativeLogistics: { address: string; logisticsItems: { logisticsBillNo: string; subItemIds: string }[] };
  tradeTerms: { payStatus: string }[];
  extAttributes: { key: string; value: string }[];
}

/** The receiver of the tests' orders: 1688's `addressParam`. */
export const ADDRESS = {
  fullName: '张三',
  mobile: '15251667788',
  phone: '0517-88990077',
  postCode: '310051',
  provinceText: '浙江省',
  cityText: '杭州市',
  areaText: '滨江区',
  townText: '长河街道',
  address: '网商路699号',
};

export interface OrdersServer {
  server: TestServer;
  /** The server's clock (the sandbox market's real time too): moves only when told. */
  clock: ManualClock;
  dev: Credentials;
  /** Offers of distinct suppliers, in catalog order. */
  offers: Offer[];
  post<T = unknown>(
    creds: Credentials,
    url: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply<T>>;
  get<T = unknown>(creds: Credentials, url: string): Promise<Reply<T>>;
  /** Credits the developer's balance (operator top-up). */
  topUp(developId: string, fen: number): Promise<void>;
  /** A line of `cargoParamList` for an offer (its minimum quantity by default). */
  cargo(offer: Offer, quantity?: number): { offerId: string; specId: string; quantity: number; sellerOpenId: string };
  /** Creates an order of these offers (A15) and answers its id. */
  create(creds: Credentials, offers: Offer[], extra?: Record<string, unknown>): Promise<string>;
  detail(creds: Credentials, orderId: string): Promise<Detail>;
  /** The seller ships the order now (sandbox), and the event reaches the order. */
  ship(creds: Credentials, orderId: string): Promise<void>;
  /** Moves both clocks (the server's and the market's) forward. */
  advance(ms: number): Promise<void>;
  /** The message types written about an order, oldest first. */
  messageTypes(creds: Credentials, orderId: string): Promise<string[]>;
  close(): Promise<void>;
}

/** Offers of distinct suppliers with enough stock, found as a developer would: search (A3), then details (A1). */
async function findOffers(server: TestServer, dev: Credentials): Promise<Offer[]> {
  const search = await server.signed<{ data: { offerId: number; sellerOpenId: string | null }[] }>(
    dev,
    'POST',
    '/alibaba/product/keywords/query',
    { body: { pageSize: 50 } },
  );
  expect(search.body.code, search.text).toBe(200);
  const offers: Offer[] = [];
  const sellers = new Set<string>();
  for (const hit of search.body.data.data) {
    if (!hit.sellerOpenId || sellers.has(hit.sellerOpenId)) continue;
    const d = await server.signed<{
      status: string;
      minOrderQuantity: number;
      sellerOpenId: string;
      productSkuInfos: { specId: string; amountOnSale: number }[];
    }>(dev, 'POST', '/alibaba/product/detail/get', { body: { offerId: String(hit.offerId) } });
    const sku = d.body.data.productSkuInfos.find((s) => s.amountOnSale >= d.body.data.minOrderQuantity * 4);
    if (d.body.data.status !== 'published' || !sku) continue;
    sellers.add(hit.sellerOpenId);
    offers.push({
      offerId: String(hit.offerId),
      specId: sku.specId,
      sellerOpenId: hit.sellerOpenId,
      minOrderQuantity: d.body.data.minOrderQuantity,
      stock: sku.amountOnSale,
    });
    if (offers.length >= 6 && offers.some((o) => o.minOrderQuantity > 1)) break;
  }
  expect(offers.length).toBeGreaterThanOrEqual(4);
  // The first one needs more than one unit, so that a quantity under its minimum exists.
  const first = offers.findIndex((o) => o.minOrderQuantity > 1);
  expect(first).toBeGreaterThanOrEqual(0);
  return [...offers.splice(first, 1), ...offers];
}

export async function startOrdersServer(): Promise<OrdersServer> {
  // Starts at the real time, so that clients signing with their own clock (the SDK) are in the window.
  const clock = new ManualClock();
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
  const policy = await server.admin('PUT', '/sandbox/policy', { priceModifyRate: 0, shipAfterMs: 3_600_000 });
  if (policy.body.code !== 200) throw new Error(`policy: ${policy.text}`);
  const dev = await server.createDeveloper('1688 buyer');
  const offers = await findOffers(server, dev);
  const post = <T>(creds: Credentials, url: string, body: unknown, headers: Record<string, string> = {}) =>
    server.signed<T>(creds, 'POST', url, { body, headers });
  const get = <T>(creds: Credentials, url: string) => server.signed<T>(creds, 'GET', url);
  const cargo = (offer: Offer, quantity = offer.minOrderQuantity) => ({
    offerId: offer.offerId,
    specId: offer.specId,
    quantity,
    sellerOpenId: offer.sellerOpenId,
  });
  const detail = async (creds: Credentials, orderId: string) => {
    const r = await post<Detail>(creds, '/alibaba/order/detail', { webSite: '1688', orderId });
    expect(r.body.code, r.text).toBe(200);
    return r.body.data;
  };
  return {
    server,
    clock,
    dev,
    offers,
    post,
    get,
    cargo,
    detail,
    async topUp(developId, fen) {
      const r = await server.admin('POST', `/admin/developers/${developId}/topups`, {
        amount: fen,
        reference: `test-${developId}-${fen}-${clock.now()}`,
      });
      if (r.body.code !== 200) throw new Error(`top-up: ${r.text}`);
    },
    async create(creds, chosen, extra = {}) {
      const r = await post<{ orderId: string }>(creds, '/alibaba/order/create', {
        flow: 'general',
        addressParam: ADDRESS,
        cargoParamList: chosen.map((o) => {
          const { sellerOpenId: _, ...line } = cargo(o);
          return line;
        }),
        ...extra,
      });
      expect(r.body.code, r.text).toBe(200);
      return r.body.data.orderId;
    },
    async ship(creds, orderId) {
      const upstream = (await detail(creds, orderId)).extAttributes.find((a) => a.key === 'upstreamOrderId')?.value;
      const r = await server.admin('POST', `/sandbox/1688/orders/${upstream}/ship`, {});
      expect(r.body.code, r.text).toBe(200);
      await server.drainOutbox();
    },
    async advance(ms) {
      clock.advance(ms);
      const r = await server.admin('POST', '/sandbox/clock/advance', { seconds: 0 });
      expect(r.body.code, r.text).toBe(200);
      await server.drainOutbox();
    },
    async messageTypes(creds, orderId) {
      const r = await get<{ messages: { messageType: string }[] }>(
        creds,
        `/open/message/list?objectId=${orderId}&pageSize=50`,
      );
      expect(r.body.code, r.text).toBe(200);
      return r.body.data.messages.map((m) => m.messageType).reverse();
    },
    close: () => server.close(),
  };
}
