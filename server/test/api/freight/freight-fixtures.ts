import { randomBytes } from 'node:crypto';
import { computeSignature } from '@ponte/sdk/signing';
import { expect } from 'vitest';
import { goodsAttributes } from '../../../src/modules/freight/attributes.js';
import { type FreightChannel, type ParcelSpec, stacked } from '../../../src/modules/freight/quote.js';
import { SAMPLE_CHANNELS } from '../../../src/modules/freight/sample-channels.js';
import type { Credentials, Reply } from '../../harness.js';
import { type Sku, startTaobaoServer, type TaobaoServer } from '../orders/taobao-fixtures.js';

/** Helpers of the freight tests (W2, W4, parcels), on top of the orders' `startTaobaoServer`. */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The documented receiver of W2 and W4. */
export const US = {
  country: 'US',
  state: 'California',
  city: 'VALLEY VLG',
  zip: '91607',
  address: '5818 WHITSETT AVE 401',
  name: 'Ofir Birinbaum',
  phone: '5083326888',
  mobilePhone: '5083326888',
  email: '1229220680@qq.com',
};

/** W2's documented example, as published. */
export const W2_EXAMPLE = {
  receiverAddress: US,
  renderItems: [
    {
      itemId: '2048020617114736',
      skuId: '413185732720',
      quantity: 1,
      freightInfo: { serviceId: '1', companyName: '', serviceCategory: '' },
    },
    {
      itemId: '2048232789087639',
      skuId: '4970432383383',
      quantity: 2,
      freightInfo: { serviceId: '2', companyName: '', serviceCategory: '' },
    },
  ],
};

/** W4's documented example, as published. */
export const W4_EXAMPLE = {
  renderId: 'FF2024080200007',
  tmallOrderInfo: { tmallOrderId: '123123444' },
  receiverAddress: US,
  lineItems: [
    {
      itemId: '2048020617114736',
      skuId: '413185732720',
      quantity: 1,
      title: '这是商品1',
      imageUrl: 'url',
      freightInfo: { serviceId: '1', companyName: '', serviceCategory: '' },
    },
  ],
};

export interface Quote {
  freightInfo: { serviceId: string; companyName: string; serviceCategory: string };
  available: boolean;
  reason: { code: string; detail: string } | null;
  actualWeightG: number;
  volumetricWeightG: number;
  chargeableWeightG: number;
  billedWeightG: number;
  freight: number;
  sample: boolean;
}

export interface Preview {
  renderId: string;
  expireTime: number;
  country: string;
  renderItems: {
    itemId: string;
    skuId: string;
    quantity: number;
    title: string;
    parcel: ParcelSpec;
    freightInfo: Quote['freightInfo'] | null;
    available: boolean;
    reasons: { serviceId: string; code: string; detail: string }[];
    quotes: Quote[];
  }[];
  channels: { freightInfo: Quote['freightInfo']; lines: number; available: boolean; freight: number }[];
  estimate: number | null;
}

export interface Parcel {
  parcelId: string;
  renderId: string;
  status: string;
  channel: { freightInfo: Quote['freightInfo']; sample: boolean; transitDays: { min: number; max: number } };
  receiverAddress: Record<string, string>;
  tmallOrderId: string | null;
  remark: string | null;
  lines: { itemId: string; skuId: string; quantity: number; title: string; estimate: number }[];
  estimate: number;
  actual: number | null;
  settlement: { amount: number; direction: string } | null;
  storageFee: number;
  measured: { weightG: number; volumetricWeightG: number; chargeableWeightG: number } | null;
  carrier: string | null;
  trackingNo: string | null;
  itemIds: string[];
  transactions: { booking: string | null; settlement: string | null; cancellation: string | null };
  version: number;
  history: { fromStatus: string | null; toStatus: string; cause: string }[];
  holdReason?: string | null;
}

export interface Booking {
  renderId: string;
  parcels: Parcel[];
}

/** A SKU of the sandbox with the parcel `quantity` units of it make, as W1/W2 compute it. */
export interface FreightSku {
  itemId: string;
  skuId: string;
  attributes: string[];
  parcel(quantity: number): ParcelSpec;
}

export interface LedgerTransaction {
  id: string;
  kind: string;
  developId: string | null;
  entries: { account: string; amountFen: number }[];
}

export interface FreightServer extends TaobaoServer {
  preview(who: Credentials, body: unknown, headers?: Record<string, string>): Promise<Reply<Preview>>;
  /** W2 that must succeed. */
  render(who: Credentials, lines: { sku: FreightSku; quantity?: number; serviceId?: string }[]): Promise<Preview>;
  book(who: Credentials, body: unknown, headers?: Record<string, string>): Promise<Reply<Booking>>;
  /** A SKU of the sandbox (its parcel as W2 quotes it). */
  freightSku(itemId: string, skuId: string): Promise<FreightSku>;
  /** The first SKU of the catalogue's first 40 products that `fits` (its first SKU of each product). */
  findSku(fits: (sku: FreightSku) => boolean): Promise<FreightSku>;
  /** The ledger transaction with this key, its entries sorted by account; undefined when none. */
  ledger(key: string): Promise<LedgerTransaction | undefined>;
  /** Every ledger transaction of the developer whose key starts with `prefix`. */
  ledgerKeys(prefix: string): Promise<string[]>;
  parcel(who: Credentials, parcelId: string): Promise<Reply<Parcel>>;
  /**
   * Goods of `who` stored at the warehouse: an order of the SKU (`quantity` units) placed, paid and shipped by the
   * sandbox seller, its domestic parcel received by its tracking number and inspected `ok` through the warehouse's
   * admin routes. Answers the warehouse item's id.
   */
  storedItem(who: Credentials, sku: Sku, quantity?: number, inspection?: Record<string, unknown>): Promise<string>;
  /** The parcel as the operator reads it. */
  shipment(parcelId: string): Promise<Parcel>;
  /** The messages written about a parcel, oldest first. */
  parcelMessages(
    who: Credentials,
    parcelId: string,
  ): Promise<{ messageType: string; version: number; messageBody: Record<string, unknown> }[]>;
}

export function usChannel(id: string): FreightChannel {
  const channel = SAMPLE_CHANNELS.find((c) => c.id === id && c.country === 'US');
  if (!channel) throw new Error(`no US sample channel ${id}`);
  return channel;
}

export async function startFreightServer(): Promise<FreightServer> {
  const t = await startTaobaoServer();
  const db = () => t.server.deps.database.db;
  const preview = (who: Credentials, body: unknown, headers: Record<string, string> = {}) =>
    t.post<Preview>(who, '/open/pp/logistics/orderRenderFreight', body, headers);
  return {
    ...t,
    preview,
    async render(who, lines) {
      const r = await preview(who, {
        receiverAddress: US,
        renderItems: lines.map(({ sku, quantity, serviceId }) => ({
          itemId: sku.itemId,
          skuId: sku.skuId,
          quantity: quantity ?? 1,
          freightInfo: { serviceId: serviceId ?? '', companyName: '', serviceCategory: '' },
          currency: 'CNY',
          price: '10.00',
        })),
      });
      expect(r.body.code, r.text).toBe(200);
      return r.body.data;
    },
    book: (who, body, headers = {}) => t.post<Booking>(who, '/open/pp/logistics/orderBookingFreight', body, headers),
    async freightSku(itemId, skuId) {
      const product = await t.server.deps.market.taobao.getProduct(itemId);
      const sku = product?.skus.find((s) => s.skuId === skuId);
      if (!product || !sku) throw new Error(`no SKU ${itemId}/${skuId}`);
      const attributes = goodsAttributes(product);
      return { itemId, skuId, attributes, parcel: (quantity) => stacked(sku, quantity, attributes) };
    },
    async findSku(fits) {
      const search = await t.post<{ list: { itemId: number }[] }>(t.dev, '/open/product/item/search', {
        keyword: '',
        pageSize: 40,
        pageNo: 1,
      });
      expect(search.body.code, search.text).toBe(200);
      for (const hit of search.body.data.list) {
        const product = await t.server.deps.market.taobao.getProduct(String(hit.itemId));
        const first = product?.skus[0];
        if (!product || !first) continue;
        const attributes = goodsAttributes(product);
        const sku: FreightSku = {
          itemId: product.productId,
          skuId: first.skuId,
          attributes,
          parcel: (quantity) => stacked(first, quantity, attributes),
        };
        if (fits(sku)) return sku;
      }
      throw new Error('no SKU of the catalogue fits');
    },
    async ledger(key) {
      const tx = await db()
        .selectFrom('ledger_transactions')
        .selectAll()
        .where('idem_key', '=', key)
        .executeTakeFirst();
      if (!tx) return undefined;
      const entries = await db()
        .selectFrom('ledger_entries')
        .select(['account', 'amount_fen'])
        .where('transaction_id', '=', tx.id)
        .orderBy('account')
        .execute();
      return {
        id: tx.id,
        kind: tx.kind,
        developId: tx.develop_id,
        entries: entries.map((e) => ({ account: e.account, amountFen: Number(e.amount_fen) })),
      };
    },
    async ledgerKeys(prefix) {
      const rows = await db()
        .selectFrom('ledger_transactions')
        .select('idem_key')
        .where('idem_key', 'like', `${prefix}%`)
        .orderBy('idem_key')
        .execute();
      return rows.map((r) => r.idem_key);
    },
    async storedItem(who, sku, quantity = 1, inspection = {}) {
      const created = await t.create(who, [{ sku, quantity }]);
      expect(created.body.code, created.text).toBe(200);
      const paid = await t.post(who, '/open/order/pay', { orderId: created.body.data.orderId });
      expect(paid.body.code, paid.text).toBe(200);
      await t.advance(HOUR + 60_000);
      const order = await t.detail(who, created.body.data.orderId);
      const line = order.subPurchaseOrders[0]?.orderLines[0];
      if (!line?.mailNo) throw new Error(`order ${order.orderId} was not shipped: ${JSON.stringify(order)}`);
      const receipt = await t.server.admin<{ outcome: string; items: { itemId: string; productId: string }[] }>(
        'POST',
        '/admin/warehouse/receipts',
        { trackingNo: line.mailNo },
      );
      expect(receipt.body.code, receipt.text).toBe(200);
      expect(receipt.body.data.outcome, receipt.text).toBe('received');
      const [item] = receipt.body.data.items;
      if (!item) throw new Error(`nothing received: ${receipt.text}`);
      const inspected = await t.server.admin<{ status: string }>(
        'POST',
        `/admin/warehouse/items/${item.itemId}/inspect`,
        { quantityReceived: quantity, condition: 'ok', ...inspection },
      );
      expect(inspected.body.code, inspected.text).toBe(200);
      expect(inspected.body.data.status).toBe('stored');
      return item.itemId;
    },
    async shipment(parcelId) {
      const r = await t.server.admin<Parcel>('GET', `/admin/shipments/${parcelId}`);
      expect(r.body.code, r.text).toBe(200);
      return r.body.data;
    },
    parcel: (who, parcelId) => t.get<Parcel>(who, `/open/pp/logistics/parcels/${parcelId}`),
    async parcelMessages(who, parcelId) {
      const messages = await t.messages(who, parcelId);
      return [...messages].sort((a, b) => a.version - b.version);
    },
  };
}

/** The two entries of a freight movement between the developer's balance and `freight:clearing`. */
export function freightEntries(developId: string, toClearing: number): { account: string; amountFen: number }[] {
  return [
    { account: `developer:${developId}:balance`, amountFen: -toClearing },
    { account: 'freight:clearing', amountFen: toClearing },
  ].sort((a, b) => (a.account < b.account ? -1 : 1));
}

/**
 * POSTs `body` to `path` with the system parameters in the query, `sign` for `signature`, as the warehouse-logistics
 * pages allow; answers the envelope.
 */
export async function postSignedInQuery<T>(
  baseUrl: string,
  who: Credentials,
  path: string,
  body: unknown,
  now: number,
): Promise<{ code: number; data: T }> {
  const text = JSON.stringify(body);
  const timestamp = String(now);
  const nonce = randomBytes(16).toString('hex');
  const input = { method: 'POST', path, query: '', accessKey: who.accessKey, timestamp, nonce, userId: who.userId };
  const sign = computeSignature('hmac-sha256', who.accessSecret, { ...input, body: text });
  const query = new URLSearchParams({
    'access-key': who.accessKey,
    timestamp,
    'nonce-str': nonce,
    'user-id': who.userId,
    sign,
  });
  const res = await fetch(`${baseUrl}${path}?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: text,
  });
  return (await res.json()) as { code: number; data: T };
}
