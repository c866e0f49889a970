import { randomBytes } from 'node:crypto';
import { signRequest } from '@ponte/sdk/signing';
import { US } from '../api/freight/freight-fixtures.js';
import { ADDRESS } from '../api/orders/alibaba-fixtures.js';
import { RECEIVER } from '../api/orders/taobao-fixtures.js';
import type { Journal, OrderRecord, ParcelRecord, RefundRecord } from './chaos-checks.js';

/**
 * The mixed workload of the crash-safety test (chaos.test.ts): several developers at once, each with a few flows in
 * flight, over whichever `ponte serve` processes are alive. Every request is sent as a real client sends it: a
 * request whose connection dies (its process was killed) or that answers 40903 (the first attempt still holds its
 * Idempotency-Key) or a 5xx (which frees the key) is sent again, freshly signed, to a live process with the SAME
 * Idempotency-Key. A request counts as acknowledged only when it answered code 200; the journal records what was
 * acknowledged and what was only attempted, for the checks (chaos-checks.ts).
 */

export interface Developer {
  developId: string;
  userId: string;
  accessKey: string;
  accessSecret: string;
}

/** What the flows buy: Taobao SKUs (those carried by the express line go to the warehouse too) and 1688 offers. */
export interface Catalog {
  taobao: { itemId: string; skuId: string }[];
  freight: { itemId: string; skuId: string }[];
  alibaba: { offerId: string; specId: string; quantity: number }[];
}

interface Answer<T> {
  code: number;
  text: string;
  data: T;
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: unknown;
  /** A developer signs it; otherwise it is an operator request. */
  as?: Developer;
  /** Idempotency-Key, the same on every attempt. */
  key?: string;
  /** What it is, for the journal. */
  what: string;
}

/** Counters of what the client went through. */
export interface ClientStats {
  attempts: number;
  /** Attempts whose connection died or timed out. */
  lost: number;
  /** 40903 answers: an earlier attempt of the same key still held it. */
  busy: number;
  /** 5xx answers, sent again. */
  failed: Map<number, number>;
}

const REQUEST_TIMEOUT_MS = 20_000;
/** The pause before each step of a flow: a client's own work between its calls, which spreads the flows apart. */
const STEP_PAUSE_MS: [number, number] = [20, 80];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)] as T;
const newKey = (what: string) => `${what}-${randomBytes(8).toString('hex')}`;

/** Sends requests to the live processes until answered or `giveUpAt()`. */
export class Client {
  readonly stats: ClientStats = { attempts: 0, lost: 0, busy: 0, failed: new Map() };
  /** Attempts awaiting their answer, per process URL. */
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly live: () => string[],
    private readonly adminToken: string,
    /** When retries stop (epoch ms): asked before each attempt, as it moves once the workload ends. */
    private readonly giveUpAt: () => number,
    private readonly journal: Journal,
  ) {}

  /** The final answer (200 or a refusal), or null when it never came. */
  async send<T>(r: ApiRequest): Promise<Answer<T> | null> {
    const text = r.body === undefined ? undefined : JSON.stringify(r.body);
    let last = 'no live process';
    while (Date.now() <= this.giveUpAt()) {
      const base = pick(this.live());
      const answer = base ? await this.attempt<T>(base, r, text) : null;
      if (answer && answer.code !== 40903 && answer.code < 50000) return answer;
      if (base) last = answer?.text.slice(0, 200) ?? 'connection lost';
      if (answer?.code === 40903) this.stats.busy++;
      else if (answer) this.stats.failed.set(answer.code, (this.stats.failed.get(answer.code) ?? 0) + 1);
      else if (base) this.stats.lost++;
      // 40903: the earlier attempt holds the key until it ends or its lock expires (60 s when its process died).
      await sleep(answer?.code === 40903 ? 1_000 : 100 + Math.random() * 200);
    }
    this.journal.unanswered.push(`${r.what} (last: ${last})`);
    return null;
  }

  /** One attempt, freshly signed; null when its connection died or it did not answer in time (outcome unknown). */
  private async attempt<T>(base: string, r: ApiRequest, text: string | undefined): Promise<Answer<T> | null> {
    const headers: Record<string, string> = text === undefined ? {} : { 'content-type': 'application/json' };
    if (r.key) headers['idempotency-key'] = r.key;
    if (r.as) Object.assign(headers, signRequest({ method: r.method, url: r.path, body: text, ...r.as }));
    else headers.authorization = `Bearer ${this.adminToken}`;
    this.stats.attempts++;
    this.pending.set(base, (this.pending.get(base) ?? 0) + 1);
    try {
      const res = await fetch(`${base}${r.path}`, {
        method: r.method,
        body: text,
        headers,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = await res.text();
      const parsed = JSON.parse(body) as { code: number; data: T };
      return { code: parsed.code, text: body, data: parsed.data };
    } catch {
      return null;
    } finally {
      this.pending.set(base, (this.pending.get(base) ?? 1) - 1);
    }
  }

  /** How many attempts to this process await their answer now. */
  inFlight(base: string): number {
    return this.pending.get(base) ?? 0;
  }

  /** `send`, answering the data of a 200 and journaling any other answer as a refusal. */
  async ok<T>(r: ApiRequest): Promise<T | null> {
    const a = await this.send<T>(r);
    if (a && a.code !== 200) this.journal.refused.push(`${r.what}: ${a.text.slice(0, 300)}`);
    return a?.code === 200 ? a.data : null;
  }
}

interface TaobaoOrderData {
  orderId: string;
  subPurchaseOrders: { purchaseOrderOuterId: string; orderLines: { purchaseOrderLineId: string }[] }[];
}

type Sku = { itemId: string; skuId: string };
/** Who sends a request: a developer signs it, the operator holds the bearer token. */
type Caller = Developer | 'operator';

/** The developers' flows, run by several workers at once while `isOpen()`. */
export class Workload {
  constructor(
    private readonly client: Client,
    private readonly journal: Journal,
    private readonly catalog: Catalog,
    private readonly isOpen: () => boolean,
  ) {}

  private get open(): boolean {
    return this.isOpen();
  }

  /**
   * A request that must answer 200, after a short pause: its data, or null (another answer is journaled). `key`
   * makes it idempotent.
   */
  private async call<T>(who: Caller, method: 'GET' | 'POST', path: string, what: string, body?: unknown, key?: string) {
    await sleep(STEP_PAUSE_MS[0] + Math.random() * (STEP_PAUSE_MS[1] - STEP_PAUSE_MS[0]));
    return this.client.ok<T>({ method, path, what, body, key, ...(who === 'operator' ? {} : { as: who }) });
  }

  /** Flows one after another until the end; a flow stops at its first step refused or unanswered, or at the end. */
  async worker(dev: Developer): Promise<void> {
    while (this.open) {
      const roll = Math.random();
      if (roll < 0.1) await this.topUp(dev, 100_000 + Math.floor(Math.random() * 900_000));
      else if (roll < 0.35) await this.taobaoRefund(dev);
      else if (roll < 0.6) await this.alibabaRefund(dev);
      else if (roll < 0.9) await this.warehouse(dev);
      else await this.taobaoOrder(dev, pick(this.catalog.taobao));
    }
  }

  async topUp(dev: Developer, amount: number): Promise<boolean> {
    const reference = newKey('chaos');
    const record = { developId: dev.developId, reference, amount, topupId: null as string | null };
    this.journal.topups.push(record);
    const data = await this.call<{ topup: { topupId: string } }>(
      'operator',
      'POST',
      `/admin/developers/${dev.developId}/topups`,
      `top-up ${reference} of ${amount} fen for developer ${dev.developId}`,
      { amount, reference },
      newKey('topup'),
    );
    record.topupId = data?.topup.topupId ?? null;
    return data !== null;
  }

  private orderRecord(dev: Developer, platform: OrderRecord['platform']): OrderRecord {
    const order: OrderRecord = { platform, developId: dev.developId, key: newKey('order'), orderId: null, paid: false };
    this.journal.orders.push(order);
    return order;
  }

  /** A Taobao order of one unit created and paid: the order as created, or null. */
  private async taobaoOrder(dev: Developer, sku: Sku): Promise<TaobaoOrderData | null> {
    const order = this.orderRecord(dev, 'taobao');
    const line = { ...sku, quantity: 1, orderLineNo: '1' };
    const created = await this.call<TaobaoOrderData>(
      dev,
      'POST',
      '/open/order',
      `create a Taobao order (key ${order.key})`,
      { orderLineList: [line], receiver: RECEIVER },
      order.key,
    );
    order.orderId = created?.orderId ?? null;
    if (!created || !this.open) return null;
    const what = `pay Taobao order ${created.orderId}`;
    const body = { orderId: created.orderId };
    order.paid = (await this.call(dev, 'POST', '/open/order/pay', what, body, newKey('pay'))) !== null;
    return order.paid ? created : null;
  }

  /** A paid Taobao order's line refunded: render (T17), submit (T22), and the seller agrees. */
  private async taobaoRefund(dev: Developer): Promise<void> {
    const order = await this.taobaoOrder(dev, pick(this.catalog.taobao));
    const line = order?.subPurchaseOrders[0]?.orderLines[0]?.purchaseOrderLineId;
    if (!order || !line || !this.open) return;
    const asked = { subOrderId: line, refundType: 1, goodsStatus: 1 };
    const render = await this.call<{
      refundOrderTemplate: { refundReasons: { reasonId: string }[]; maxRefundFee: { refundFee: number } };
    }>(dev, 'POST', '/open/order/refund/render', `render a refund of Taobao line ${line}`, asked);
    const template = render?.refundOrderTemplate;
    const reasonId = template?.refundReasons[0]?.reasonId;
    if (!template || !reasonId || !this.open) return;
    const submitted = await this.call<{ refundOrderAggregate: { refundOrder: { refundId: string } } }>(
      dev,
      'POST',
      '/open/order/refund/submit',
      `submit a refund of Taobao line ${line} (order ${order.orderId})`,
      { ...asked, reasonId, refundFee: template.maxRefundFee.refundFee },
      newKey('refund'),
    );
    if (!submitted) return;
    const refund = this.refundRecord('taobao', order.orderId, submitted.refundOrderAggregate.refundOrder.refundId);
    const read = await this.call<{ refundOrderAggregate: { refundOrder: { refundOuterId: string | null } } }>(
      dev,
      'GET',
      `/open/order/refund/query?refundId=${refund.refundId}`,
      `read Taobao refund ${refund.refundId}`,
    );
    await this.agree(refund, read?.refundOrderAggregate.refundOrder.refundOuterId);
  }

  private refundRecord(platform: RefundRecord['platform'], orderId: string, refundId: string): RefundRecord {
    const refund: RefundRecord = { platform, orderId, refundId, agreed: false };
    this.journal.refunds.push(refund);
    return refund;
  }

  /** The seller agrees (sandbox control API). A 40901 after a lost attempt means that attempt did it: not counted. */
  private async agree(refund: RefundRecord, outerId: string | null | undefined): Promise<void> {
    if (!outerId || !this.open) return;
    const path = `/sandbox/${refund.platform}/refunds/${outerId}/agree`;
    const what = `the seller agrees to ${refund.platform} refund ${refund.refundId}`;
    refund.agreed = (await this.client.send({ method: 'POST', path, body: {}, what }))?.code === 200;
  }

  /** A 1688 order created (A15), paid from the balance (A9), refunded in full (A21, A23), and the seller agrees. */
  private async alibabaRefund(dev: Developer): Promise<void> {
    const order = this.orderRecord(dev, '1688');
    const cargo = { flow: 'general', addressParam: ADDRESS, cargoParamList: [pick(this.catalog.alibaba)] };
    const what = `create a 1688 order (key ${order.key})`;
    const created = await this.call<{ orderId: string }>(dev, 'POST', '/alibaba/order/create', what, cargo, order.key);
    const orderId = created?.orderId;
    order.orderId = orderId ?? null;
    if (!orderId || !this.open) return;
    const pay = await this.call<{ cantPayOrderList: string[]; payFailureReasons: unknown }>(
      dev,
      'POST',
      '/alibaba/order/batch/submit/to/pay',
      `pay 1688 order ${orderId}`,
      { orderIds: [orderId] },
      newKey('pay'),
    );
    if (pay?.cantPayOrderList.length) this.journal.refused.push(`pay 1688 order ${orderId}: ${JSON.stringify(pay)}`);
    order.paid = pay?.cantPayOrderList.length === 0;
    if (!order.paid || !this.open) return;
    const goodsStatus = 'refundWaitSellerSend';
    const reasons = await this.call<{ reasons: { id: string }[]; maxApplyPayment: number }>(
      dev,
      'POST',
      '/alibaba/refund/reason/list',
      `read the refund reasons of 1688 order ${orderId}`,
      { orderId, goodsStatus },
    );
    const applyReasonId = reasons?.reasons[0]?.id;
    if (!reasons || !applyReasonId || !this.open) return;
    const made = await this.call<{ refundId: string }>(
      dev,
      'POST',
      '/alibaba/refund/detail/create',
      `create a refund of 1688 order ${orderId}`,
      {
        orderId,
        disputeRequest: 'refund',
        applyPayment: reasons.maxApplyPayment,
        applyCarriage: 0,
        applyReasonId,
        description: '不想要了，请退款',
        goodsStatus,
      },
      newKey('refund'),
    );
    if (!made) return;
    const refund = this.refundRecord('1688', orderId, made.refundId);
    const path = `/alibaba/refund/info?refundId=${made.refundId}`;
    const info = await this.call<{ refundOuterId: string | null }>(
      dev,
      'POST',
      path,
      `read 1688 refund ${made.refundId}`,
    );
    await this.agree(refund, info?.refundOuterId);
  }

  /**
   * A paid Taobao order shipped by its seller to the warehouse, received by its tracking number and inspected, its
   * freight previewed and booked on the express line, then packed.
   */
  private async warehouse(dev: Developer): Promise<void> {
    const sku = pick(this.catalog.freight);
    const order = await this.taobaoOrder(dev, sku);
    const upstreamId = order?.subPurchaseOrders[0]?.purchaseOrderOuterId;
    if (!order || !upstreamId || !this.open) return;
    const path = `/sandbox/taobao/orders/${upstreamId}/ship`;
    const what = `the seller ships Taobao order ${order.orderId}`;
    const shipped = await this.client.send({ method: 'POST', path, body: {}, what });
    // 40901: an attempt whose answer was lost shipped it already; the warehouse's item tells.
    if (shipped?.code !== 200 && shipped?.code !== 40901) return;
    const item = await this.expectedItem(dev, order.orderId);
    if (!item) return;
    const parcel: ParcelRecord = {
      orderId: order.orderId,
      itemId: item.itemId,
      received: false,
      stored: false,
      parcelId: null,
      packed: false,
    };
    this.journal.parcels.push(parcel);
    const receipt = await this.call<{ items: { itemId: string }[] }>(
      'operator',
      'POST',
      '/admin/warehouse/receipts',
      `receive parcel ${item.trackingNo} of Taobao order ${order.orderId}`,
      { trackingNo: item.trackingNo },
      newKey('receipt'),
    );
    parcel.received = receipt?.items.some((i) => i.itemId === item.itemId) ?? false;
    if (!parcel.received || !this.open) return;
    parcel.stored = await this.inspect(item.itemId);
    if (parcel.stored && this.open) await this.freight(dev, sku, parcel);
  }

  /** The warehouse item the seller's shipment announced, once the marketplace's event has been handled. */
  private async expectedItem(dev: Developer, orderId: string) {
    while (this.open) {
      const path = `/open/pp/warehouse/items?orderId=${orderId}`;
      const what = `list the warehouse items of Taobao order ${orderId}`;
      const items = await this.call<{ list: { itemId: string; trackingNo: string }[] }>(dev, 'GET', path, what);
      if (!items || items.list[0]) return items?.list[0] ?? null;
      await sleep(500);
    }
    return null;
  }

  /**
   * Inspected `ok`: stored. Inspection stores its reply only once it is sent, so a retry after a lost answer may
   * find the item stored already (40901): then the item's state tells, and it is not counted as acknowledged.
   */
  private async inspect(itemId: string): Promise<boolean> {
    const what = `inspect warehouse item ${itemId}`;
    const body = { quantityReceived: 1, condition: 'ok' };
    const path = `/admin/warehouse/items/${itemId}`;
    const a = await this.client.send<{ status: string }>({
      method: 'POST',
      path: `${path}/inspect`,
      body,
      key: newKey('inspect'),
      what,
    });
    if (a?.code === 200) return a.data.status === 'stored';
    const now =
      a?.code === 40901 ? await this.call<{ status: string }>('operator', 'GET', path, `read ${itemId}`) : null;
    if (a && now?.status !== 'stored') this.journal.refused.push(`${what}: ${a.text.slice(0, 300)}`);
    return false;
  }

  /** W2 on the express line, W4, and the warehouse packs the parcel a little heavier than previewed. */
  private async freight(dev: Developer, sku: Sku, parcel: ParcelRecord): Promise<void> {
    const freightInfo = { serviceId: '1', companyName: '', serviceCategory: '' };
    const line = { ...sku, quantity: 1, freightInfo, currency: 'CNY', price: '10.00' };
    const preview = await this.call<{
      renderId: string;
      renderItems: { parcel: { weightG: number; lengthCm: number; widthCm: number; heightCm: number } }[];
    }>(
      dev,
      'POST',
      '/open/pp/logistics/orderRenderFreight',
      `preview the freight of warehouse item ${parcel.itemId}`,
      { receiverAddress: US, renderItems: [line] },
      newKey('render'),
    );
    const size = preview?.renderItems[0]?.parcel;
    if (!preview || !size || !this.open) return;
    const booking = await this.call<{ parcels: { parcelId: string }[] }>(
      dev,
      'POST',
      '/open/pp/logistics/orderBookingFreight',
      `book freight preview ${preview.renderId} (warehouse item ${parcel.itemId})`,
      { renderId: preview.renderId },
      newKey('book'),
    );
    parcel.parcelId = booking?.parcels[0]?.parcelId ?? null;
    if (!parcel.parcelId || !this.open) return;
    const { weightG, lengthCm, widthCm, heightCm } = size;
    const packed = await this.call<{ status: string }>(
      'operator',
      'POST',
      `/admin/shipments/${parcel.parcelId}/pack`,
      `pack parcel ${parcel.parcelId} with warehouse item ${parcel.itemId}`,
      { itemIds: [parcel.itemId], weightG: weightG + Math.floor(Math.random() * 100), lengthCm, widthCm, heightCm },
      newKey('pack'),
    );
    parcel.packed = packed?.status === 'packed';
  }
}
