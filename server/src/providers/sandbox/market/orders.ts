import { MarketRejection } from '../../errors.js';
import type {
  CancelOrder,
  Localized,
  LogisticsTrace,
  OrderPreview,
  OrderRequest,
  Platform,
  PreviewGroup,
  PreviewLine,
  ProviderSkuProperty,
  ShippingAddress,
  TraceStatus,
  UpstreamOrder,
  UpstreamOrderLine,
  UpstreamOrderStatus,
} from '../../types.js';
import { TRACE_STATUSES } from '../../types.js';
import type { GoodRow, SkuRow } from '../catalog/reader.js';
import { CARRIERS, carrier, hash32, type MarketContext, nextCounter, touchGood, unit } from './context.js';
import { traceSteps } from './trace.js';

interface OrderRow {
  order_id: string;
  platform: Platform;
  buyer_id: string;
  client_ref: string;
  shop_id: string;
  status: UpstreamOrderStatus;
  goods_fen: number;
  shipping_fen: number;
  adjust_fen: number;
  total_fen: number;
  address: string;
  buyer_message: string;
  created_at: number;
  paid_at: number | null;
  shipped_at: number | null;
  received_at: number | null;
  closed_at: number | null;
  close_reason: string | null;
  due_action: DueAction | null;
  due_at: number | null;
}

interface LineRow {
  line_id: string;
  order_id: string;
  position: number;
  product_id: string;
  sku_id: string | null;
  title: string;
  sku_properties: string;
  image_url: string;
  quantity: number;
  unit_price_fen: number;
  amount_fen: number;
  status: UpstreamOrderStatus;
  refunded_fen: number;
  tracking_no: string | null;
}

export interface ShipmentRow {
  tracking_no: string;
  order_id: string;
  carrier_code: string;
  shipped_at: number;
  step: number;
  step_times: string;
  route: string;
  next_at: number | null;
}

/** What the clock does next to an order. */
export type DueAction = 'close_unpaid' | 'modify_price' | 'ship' | 'auto_confirm' | 'finish';

/** 1688 refuses to cancel an order in its first seconds (docs/architecture.md §7). */
const ALIBABA_CANCEL_GRACE_MS = 10_000;

interface Resolved {
  line: PreviewLine;
  good: GoodRow | undefined;
  sku: SkuRow | undefined;
  shopId: string;
}

export class Orders {
  constructor(
    private readonly m: MarketContext,
    readonly platform: Platform,
  ) {}

  // -- buyer side ------------------------------------------------------------------------------

  preview(request: Omit<OrderRequest, 'clientRef'>): OrderPreview {
    return this.group(request.lines.map((line, i) => this.resolve(line, i)));
  }

  /** Creates one order per seller, atomically; a retry with the same `clientRef` returns them again. */
  create(request: OrderRequest): UpstreamOrder[] {
    const { db, clock, policy } = this.m;
    return db
      .transaction(() => {
        const existing = this.byClientRef(request.clientRef, request.buyerId);
        if (existing.length > 0) return existing;
        if (request.lines.length === 0) throw new MarketRejection('invalid_value', 'no order lines', 'lines');
        const resolved = request.lines.map((line, i) => this.resolve(line, i));
        resolved.forEach((r, i) => {
          if (r.line.problem) {
            throw new MarketRejection(r.line.problem, lineProblem(r.line), `lines[${i}]`);
          }
        });
        const preview = this.group(resolved);
        const now = clock.now();
        const rules = policy.get();
        const orders: string[] = [];
        for (const group of preview.groups) {
          const orderId = this.newOrderId();
          const modifies = unit(`modify:${orderId}`) < rules.priceModifyRate;
          db.prepare(
            `insert into orders (order_id, platform, buyer_id, client_ref, shop_id, status, goods_fen, shipping_fen,
              adjust_fen, total_fen, address, buyer_message, created_at, due_action, due_at)
             values (?, ?, ?, ?, ?, 'wait_buyer_pay', ?, ?, 0, ?, ?, ?, ?, ?, ?)`,
          ).run(
            orderId,
            this.platform,
            request.buyerId,
            request.clientRef,
            group.shopId,
            group.goodsFen,
            group.shippingFen,
            group.totalFen,
            JSON.stringify(request.address),
            request.buyerMessage ?? '',
            now,
            modifies ? 'modify_price' : 'close_unpaid',
            now + (modifies ? rules.priceModifyAfterMs : rules.unpaidCloseAfterMs),
          );
          group.lines.forEach((line, position) => {
            const r = resolved.find((x) => x.line === line);
            if (!r?.good || !r.sku) throw new Error('resolved line without its good');
            const colour = (JSON.parse(r.sku.properties) as { property: string; value: string }[]).find(
              (p) => p.property === this.m.catalog.names.vocab.colourProperty.key,
            )?.value;
            db.prepare(
              `insert into order_lines (line_id, order_id, position, product_id, sku_id, title, sku_properties, image_url,
                quantity, unit_price_fen, amount_fen, status, refunded_fen) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                'wait_buyer_pay', 0)`,
            ).run(
              this.newLineId(),
              orderId,
              position,
              line.productId,
              r.sku.sku_id,
              JSON.stringify(line.title),
              JSON.stringify(line.skuProperties),
              this.m.catalog.imageUrl(this.platform, line.productId, 0, colour),
              line.quantity,
              line.unitPriceFen,
              line.amountFen,
            );
            this.changeStock(r.good, r.sku.sku_id, -line.quantity, now);
          });
          orders.push(orderId);
        }
        return orders.map((id) => this.load(id));
      })
      .immediate();
  }

  /**
   * Pays at the total the buyer agreed to: refused (`price_changed`) when the order's total is another.
   * Idempotent: an order already paid at that total answers as it is, so a retried payment converges.
   */
  pay(orderId: string, buyerId: string, expectedTotalFen: number): UpstreamOrder {
    const { db, clock, policy } = this.m;
    if (!Number.isSafeInteger(expectedTotalFen) || expectedTotalFen < 0) {
      throw new MarketRejection(
        'invalid_value',
        'the expected total must be a whole number of fen',
        'expectedTotalFen',
      );
    }
    return db
      .transaction(() => {
        const order = this.own(orderId, buyerId);
        const paid = order.paid_at !== null && order.status !== 'wait_buyer_pay';
        if (!paid && order.status !== 'wait_buyer_pay') throw stateError(order, 'pay');
        if (order.total_fen !== expectedTotalFen) throw priceChanged(order, expectedTotalFen);
        if (paid) return this.toOrder(order);
        const now = clock.now();
        const dueAt = now + policy.get().shipAfterMs;
        db.prepare(
          `update orders set status = 'wait_seller_send', paid_at = ?, due_action = 'ship', due_at = ? where order_id = ?`,
        ).run(now, dueAt, orderId);
        db.prepare(`update order_lines set status = 'wait_seller_send' where order_id = ?`).run(orderId);
        const lines = this.lines(orderId);
        for (const line of lines) {
          db.prepare('update goods set sales = sales + ? where platform = ? and id = ?').run(
            line.quantity,
            this.platform,
            line.product_id,
          );
          touchGood(db, this.platform, line.product_id);
        }
        // Just paid: nothing shipped yet, and the rows as they now are.
        const paidRow: OrderRow = {
          ...order,
          status: 'wait_seller_send',
          paid_at: now,
          due_action: 'ship',
          due_at: dueAt,
        };
        return this.toOrder(paidRow, lines, []);
      })
      .immediate();
  }

  cancel(request: CancelOrder): UpstreamOrder {
    const { db, clock } = this.m;
    return db
      .transaction(() => {
        const order = this.own(request.orderId, request.buyerId);
        if (order.status !== 'wait_buyer_pay') throw stateError(order, 'cancel');
        const now = clock.now();
        if (this.platform === '1688' && now - order.created_at < ALIBABA_CANCEL_GRACE_MS) {
          throw new MarketRejection('invalid_state', '1688 does not allow cancelling an order in its first 10 seconds');
        }
        this.close(order, now, `buyer: ${request.reason}`);
        return this.load(order.order_id);
      })
      .immediate();
  }

  confirmReceipt(orderId: string, buyerId: string): UpstreamOrder {
    const { db, clock, policy } = this.m;
    return db
      .transaction(() => {
        const order = this.own(orderId, buyerId);
        if (order.status !== 'wait_buyer_receive') throw stateError(order, 'confirm receipt of');
        const now = clock.now();
        db.prepare(
          `update orders set status = 'confirmed', received_at = ?, due_action = 'finish', due_at = ? where order_id = ?`,
        ).run(now, now + policy.get().finishAfterMs, orderId);
        db.prepare(
          `update order_lines set status = 'confirmed' where order_id = ? and status = 'wait_buyer_receive'`,
        ).run(orderId);
        return this.load(orderId);
      })
      .immediate();
  }

  /** The orders `create` made for this `clientRef`, in id order; empty when it made none. */
  byClientRef(clientRef: string, buyerId: string): UpstreamOrder[] {
    const rows = this.m.db
      .prepare('select order_id from orders where platform = ? and buyer_id = ? and client_ref = ? order by order_id')
      .all(this.platform, buyerId, clientRef) as { order_id: string }[];
    return rows.map((o) => this.load(o.order_id));
  }

  get(orderId: string, buyerId: string): UpstreamOrder | null {
    const row = this.row(orderId);
    return row && row.buyer_id === buyerId ? this.toOrder(row) : null;
  }

  trace(orderId: string, buyerId: string): LogisticsTrace[] | null {
    const row = this.row(orderId);
    if (!row || row.buyer_id !== buyerId) return null;
    const shipments = this.m.db
      .prepare('select * from shipments where order_id = ? order by shipped_at, tracking_no')
      .all(orderId) as ShipmentRow[];
    const lines = this.lines(orderId);
    return shipments.map((s) => {
      const c = carrier(s.carrier_code);
      return {
        orderId,
        lineIds: lines.filter((l) => l.tracking_no === s.tracking_no).map((l) => l.line_id),
        carrierCode: s.carrier_code,
        carrierName: c?.name.zh ?? s.carrier_code,
        trackingNo: s.tracking_no,
        steps: traceSteps(s, c?.name ?? null, this.m.catalog.names.vocab.cities),
      };
    });
  }

  // -- seller side (the simulation and the control API) -----------------------------------------

  /** Ships the given lines (all unshipped ones by default) in one parcel. */
  ship(orderId: string, opts: { lineIds?: string[]; carrierCode?: string; trackingNo?: string } = {}): UpstreamOrder {
    const { db } = this.m;
    return db
      .transaction(() => {
        const order = this.row(orderId);
        if (!order) throw new MarketRejection('not_found', `order ${orderId}`);
        if (order.status !== 'wait_seller_send') throw stateError(order, 'ship');
        const at =
          order.due_action === 'ship' && order.due_at !== null
            ? Math.min(order.due_at, this.m.clock.now())
            : this.m.clock.now();
        this.shipLines(order, at, opts);
        return this.load(orderId);
      })
      .immediate();
  }

  /** The seller changes an unpaid order's total (the new total of goods and shipping). */
  modifyPrice(orderId: string, newTotalFen: number): UpstreamOrder {
    const { db } = this.m;
    return db
      .transaction(() => {
        const order = this.row(orderId);
        if (!order) throw new MarketRejection('not_found', `order ${orderId}`);
        if (order.status !== 'wait_buyer_pay') throw stateError(order, 'change the price of');
        this.applyPrice(order, newTotalFen, this.m.clock.now());
        return this.load(orderId);
      })
      .immediate();
  }

  /** Runs what falls due on orders up to `now`; returns how many actions ran. */
  runDue(now: number): number {
    const { db } = this.m;
    let ran = 0;
    for (;;) {
      const due = db
        .prepare('select order_id from orders where platform = ? and due_at <= ? order by due_at, order_id limit 50')
        .all(this.platform, now) as { order_id: string }[];
      const shipments = db
        .prepare(
          `select s.tracking_no from shipments s join orders o on o.order_id = s.order_id
           where o.platform = ? and s.next_at <= ? order by s.next_at limit 50`,
        )
        .all(this.platform, now) as { tracking_no: string }[];
      if (due.length === 0 && shipments.length === 0) return ran;
      for (const { order_id } of due) ran += db.transaction(() => this.runOrder(order_id, now)).immediate();
      for (const { tracking_no } of shipments)
        ran += db.transaction(() => this.stepShipment(tracking_no, now)).immediate();
    }
  }

  private runOrder(orderId: string, now: number): number {
    const order = this.row(orderId);
    if (!order || order.due_at === null || order.due_at > now || !order.due_action) return 0;
    const at = order.due_at;
    const rules = this.m.policy.get();
    switch (order.due_action) {
      case 'close_unpaid':
        this.close(order, at, 'timeout: not paid in time');
        break;
      case 'modify_price': {
        const [lo, hi] = rules.priceModifyPercent;
        const percent = lo + (hi - lo) * unit(`percent:${order.order_id}`);
        const total = Math.max(1, Math.round((order.goods_fen * (100 + percent)) / 100 / 10) * 10 + order.shipping_fen);
        this.applyPrice(order, total, at);
        this.m.db
          .prepare(`update orders set due_action = 'close_unpaid', due_at = ? where order_id = ?`)
          .run(order.created_at + rules.unpaidCloseAfterMs, order.order_id);
        break;
      }
      case 'ship':
        this.shipLines(order, at, {});
        break;
      case 'auto_confirm':
        this.finish(order, at, true);
        break;
      case 'finish':
        this.finish(order, at, false);
        break;
    }
    return 1;
  }

  private applyPrice(order: OrderRow, newTotalFen: number, at: number): void {
    const adjust = newTotalFen - order.goods_fen - order.shipping_fen;
    this.m.db
      .prepare('update orders set adjust_fen = ?, total_fen = ? where order_id = ?')
      .run(adjust, newTotalFen, order.order_id);
    this.m.events.append({
      platform: this.platform,
      type: 'order.price_modified',
      at,
      orderId: order.order_id,
      data: { oldTotalFen: order.total_fen, newTotalFen, adjustFen: adjust, buyerId: order.buyer_id },
    });
  }

  private shipLines(
    order: OrderRow,
    at: number,
    opts: { lineIds?: string[]; carrierCode?: string; trackingNo?: string },
  ): void {
    const { db } = this.m;
    const open = this.lines(order.order_id).filter((l) => l.status === 'wait_seller_send' && !l.tracking_no);
    const chosen = opts.lineIds ? open.filter((l) => opts.lineIds?.includes(l.line_id)) : open;
    if (opts.lineIds && chosen.length !== opts.lineIds.length) {
      throw new MarketRejection('invalid_value', 'some lines are unknown, shipped or refunded', 'lineIds');
    }
    if (chosen.length > 0) {
      const parcel = db.prepare('select count(*) as n from shipments where order_id = ?').get(order.order_id) as {
        n: number;
      };
      const c =
        (opts.carrierCode ? carrier(opts.carrierCode) : undefined) ??
        CARRIERS[hash32(`carrier:${order.order_id}`) % CARRIERS.length];
      if (!c) throw new MarketRejection('invalid_value', `unknown carrier ${opts.carrierCode}`, 'carrierCode');
      const trackingNo = opts.trackingNo ?? trackingNumber(c, `${order.order_id}:${parcel.n}`);
      const rules = this.m.policy.get();
      const route = this.route(order);
      db.prepare(
        `insert into shipments (tracking_no, order_id, carrier_code, shipped_at, step, step_times, route, next_at)
         values (?, ?, ?, ?, 0, ?, ?, ?)`,
      ).run(
        trackingNo,
        order.order_id,
        c.code,
        at,
        JSON.stringify([at]),
        JSON.stringify(route),
        at + rules.traceStepMs,
      );
      for (const line of chosen) {
        db.prepare(`update order_lines set status = 'wait_buyer_receive', tracking_no = ? where line_id = ?`).run(
          trackingNo,
          line.line_id,
        );
      }
      this.m.events.append({
        platform: this.platform,
        type: 'order.shipped',
        at,
        orderId: order.order_id,
        data: {
          lineIds: chosen.map((l) => l.line_id),
          carrierCode: c.code,
          carrierName: c.name.zh,
          trackingNo,
          buyerId: order.buyer_id,
        },
      });
    }
    const left = this.lines(order.order_id).filter((l) => l.status === 'wait_seller_send');
    if (left.length === 0) {
      db.prepare(
        `update orders set status = 'wait_buyer_receive', shipped_at = ?, due_action = null, due_at = null
         where order_id = ?`,
      ).run(at, order.order_id);
    } else if (order.due_action === 'ship') {
      db.prepare('update orders set due_action = null, due_at = null where order_id = ?').run(order.order_id);
    }
  }

  /** Moves a parcel along its route as far as `now` allows. */
  private stepShipment(trackingNo: string, now: number): number {
    const { db } = this.m;
    const s = db.prepare('select * from shipments where tracking_no = ?').get(trackingNo) as ShipmentRow | undefined;
    if (!s || s.next_at === null || s.next_at > now) return 0;
    const rules = this.m.policy.get();
    const times = JSON.parse(s.step_times) as number[];
    let step = s.step;
    let next: number | null = s.next_at;
    const order = this.row(s.order_id);
    while (next !== null && next <= now && step < TRACE_STATUSES.length - 1) {
      step++;
      times.push(next);
      const status = TRACE_STATUSES[step] as TraceStatus;
      this.m.events.append({
        platform: this.platform,
        type: 'logistics.updated',
        at: next,
        orderId: s.order_id,
        data: { trackingNo, carrierCode: s.carrier_code, status, buyerId: order?.buyer_id },
      });
      next = step < TRACE_STATUSES.length - 1 ? next + rules.traceStepMs : null;
    }
    db.prepare('update shipments set step = ?, step_times = ?, next_at = ? where tracking_no = ?').run(
      step,
      JSON.stringify(times),
      next,
      trackingNo,
    );
    if (step === TRACE_STATUSES.length - 1 && order && order.status === 'wait_buyer_receive') {
      const unsigned = db
        .prepare(
          `select count(*) as n from order_lines l left join shipments s on s.tracking_no = l.tracking_no
           where l.order_id = ? and l.status = 'wait_buyer_receive' and (s.step is null or s.step < ?)`,
        )
        .get(order.order_id, TRACE_STATUSES.length - 1) as { n: number };
      if (unsigned.n === 0) {
        const signedAt = times[times.length - 1] ?? now;
        db.prepare(`update orders set due_action = 'auto_confirm', due_at = ? where order_id = ?`).run(
          signedAt + rules.autoConfirmAfterMs,
          order.order_id,
        );
      }
    }
    return 1;
  }

  private finish(order: OrderRow, at: number, automatic: boolean): void {
    const { db } = this.m;
    if (order.status !== 'wait_buyer_receive' && order.status !== 'confirmed') return;
    db.prepare(
      `update orders set status = 'finished', received_at = coalesce(received_at, ?), due_action = null, due_at = null
       where order_id = ?`,
    ).run(at, order.order_id);
    db.prepare(
      `update order_lines set status = 'finished' where order_id = ? and status in ('wait_buyer_receive', 'confirmed')`,
    ).run(order.order_id);
    this.m.events.append({
      platform: this.platform,
      type: 'order.finished',
      at,
      orderId: order.order_id,
      data: { automatic, buyerId: order.buyer_id },
    });
  }

  /** Closes an order and puts the stock of its unshipped lines back. */
  close(order: OrderRow, at: number, reason: string): void {
    const { db } = this.m;
    for (const line of this.lines(order.order_id)) {
      if (line.sku_id && (line.status === 'wait_buyer_pay' || line.status === 'wait_seller_send')) {
        const good = this.m.catalog.goodRow(this.platform, line.product_id);
        if (good) this.changeStock(good, line.sku_id, line.quantity, at);
      }
    }
    db.prepare(
      `update orders set status = 'closed', closed_at = ?, close_reason = ?, due_action = null, due_at = null
       where order_id = ?`,
    ).run(at, reason, order.order_id);
    db.prepare(`update order_lines set status = 'closed' where order_id = ? and status <> 'finished'`).run(
      order.order_id,
    );
    this.m.events.append({
      platform: this.platform,
      type: 'order.closed',
      at,
      orderId: order.order_id,
      data: { reason, buyerId: order.buyer_id },
    });
  }

  // -- refunds use these ---------------------------------------------------------------------------

  row(orderId: string): OrderRow | undefined {
    return this.m.db.prepare('select * from orders where order_id = ? and platform = ?').get(orderId, this.platform) as
      | OrderRow
      | undefined;
  }

  lines(orderId: string): LineRow[] {
    return this.m.db
      .prepare('select * from order_lines where order_id = ? order by position')
      .all(orderId) as LineRow[];
  }

  own(orderId: string, buyerId: string): OrderRow {
    const order = this.row(orderId);
    if (!order || order.buyer_id !== buyerId) throw new MarketRejection('not_found', `order ${orderId}`);
    return order;
  }

  /** A line was refunded in full: it closes, and the order closes when nothing is left in it. */
  lineRefunded(orderId: string, lineId: string, amountFen: number, at: number): void {
    const { db } = this.m;
    db.prepare('update order_lines set refunded_fen = refunded_fen + ? where line_id = ?').run(amountFen, lineId);
    const line = this.lines(orderId).find((l) => l.line_id === lineId);
    if (line && line.refunded_fen >= line.amount_fen) {
      if (line.sku_id && line.status === 'wait_seller_send') {
        const good = this.m.catalog.goodRow(this.platform, line.product_id);
        if (good) this.changeStock(good, line.sku_id, line.quantity, at);
      }
      db.prepare(`update order_lines set status = 'closed' where line_id = ?`).run(lineId);
    }
    const order = this.row(orderId);
    if (!order) return;
    const lines = this.lines(orderId);
    if (lines.every((l) => l.status === 'closed')) {
      this.close(order, at, 'refunded in full');
    } else if (order.status === 'wait_seller_send' && lines.every((l) => l.status !== 'wait_seller_send')) {
      db.prepare(
        `update orders set status = 'wait_buyer_receive', shipped_at = ?, due_action = null, due_at = null
         where order_id = ?`,
      ).run(at, orderId);
    }
  }

  load(orderId: string): UpstreamOrder {
    const row = this.row(orderId);
    if (!row) throw new MarketRejection('not_found', `order ${orderId}`);
    return this.toOrder(row);
  }

  // -- helpers --------------------------------------------------------------------------------------

  /** The order as the marketplace tells it; `lineRows` and `shipmentRows` when the caller has them already. */
  private toOrder(row: OrderRow, lineRows?: LineRow[], shipmentRows?: ShipmentRow[]): UpstreamOrder {
    const shipments = new Map(
      (
        shipmentRows ??
        (this.m.db.prepare('select * from shipments where order_id = ?').all(row.order_id) as ShipmentRow[])
      ).map((s) => [s.tracking_no, s]),
    );
    const shop = this.m.catalog.shopBrief(this.platform, row.shop_id);
    const lines: UpstreamOrderLine[] = (lineRows ?? this.lines(row.order_id)).map((l) => {
      const s = l.tracking_no ? shipments.get(l.tracking_no) : undefined;
      const c = s ? carrier(s.carrier_code) : undefined;
      return {
        lineId: l.line_id,
        productId: l.product_id,
        skuId: l.sku_id,
        title: JSON.parse(l.title) as Localized,
        skuProperties: JSON.parse(l.sku_properties) as ProviderSkuProperty[],
        imageUrl: l.image_url,
        quantity: l.quantity,
        unitPriceFen: l.unit_price_fen,
        amountFen: l.amount_fen,
        status: l.status,
        shipment: s
          ? {
              carrierCode: s.carrier_code,
              carrierName: c?.name.zh ?? s.carrier_code,
              trackingNo: s.tracking_no,
              shippedAt: s.shipped_at,
            }
          : null,
        refundedFen: l.refunded_fen,
      };
    });
    return {
      platform: row.platform,
      orderId: row.order_id,
      buyerId: row.buyer_id,
      clientRef: row.client_ref,
      shopId: row.shop_id,
      shopName: shop?.shopName ?? { zh: '', en: '', vi: '', th: '', es: '' },
      sellerOpenId: shop?.sellerOpenId ?? null,
      status: row.status,
      lines,
      goodsFen: row.goods_fen,
      shippingFen: row.shipping_fen,
      adjustFen: row.adjust_fen,
      totalFen: row.total_fen,
      address: JSON.parse(row.address) as ShippingAddress,
      buyerMessage: row.buyer_message,
      createdAt: row.created_at,
      paidAt: row.paid_at,
      shippedAt: row.shipped_at,
      receivedAt: row.received_at,
      closedAt: row.closed_at,
      closeReason: row.close_reason,
    };
  }

  private resolve(input: OrderRequest['lines'][number], _index: number): Resolved {
    const { catalog } = this.m;
    const empty: Localized = { zh: '', en: '', vi: '', th: '', es: '' };
    const base: PreviewLine = {
      ...input,
      title: empty,
      skuProperties: [],
      unitPriceFen: 0,
      amountFen: 0,
      available: false,
      problem: 'not_found',
      stock: 0,
    };
    const good = catalog.goodRow(this.platform, input.productId);
    if (!good) return { line: base, good, sku: undefined, shopId: '' };
    const skus = catalog.skuRows(this.platform, good.id);
    const sku = input.skuId ? skus.find((s) => s.sku_id === input.skuId) : skus.length === 1 ? skus[0] : undefined;
    const line: PreviewLine = { ...base, title: catalog.title(good) };
    if (!sku) return { line, good, sku, shopId: good.shop_id };
    const unitPrice = this.unitPrice(good, sku, input.quantity);
    line.skuId = sku.sku_id;
    line.skuProperties = catalog.sku(good, sku).properties;
    line.unitPriceFen = unitPrice;
    line.amountFen = unitPrice * input.quantity;
    line.stock = sku.stock;
    line.problem =
      good.status !== 'active'
        ? 'delisted'
        : input.quantity < good.min_order_quantity
          ? 'below_min_quantity'
          : sku.stock < input.quantity
            ? 'out_of_stock'
            : null;
    line.available = line.problem === null;
    return { line, good, sku, shopId: good.shop_id };
  }

  /** Taobao charges the promotion price; 1688 the tier the quantity reaches, scaled to the SKU. */
  private unitPrice(good: GoodRow, sku: SkuRow, quantity: number): number {
    if (this.platform === 'taobao') return sku.promotion_price_fen;
    const tiers = JSON.parse(good.tier_prices) as { minQuantity: number; priceFen: number }[];
    const first = tiers[0];
    if (!first) return sku.price_fen;
    let tier = first;
    for (const t of tiers) if (quantity >= t.minQuantity) tier = t;
    return Math.max(10, Math.round((sku.price_fen * tier.priceFen) / first.priceFen / 10) * 10);
  }

  private group(resolved: Resolved[]): OrderPreview {
    const groups = new Map<string, PreviewGroup>();
    const weights = new Map<string, number>();
    for (const r of resolved) {
      const key = r.shopId;
      let g = groups.get(key);
      if (!g) {
        const shop = r.shopId ? this.m.catalog.shop(this.platform, r.shopId) : null;
        g = {
          shopId: r.shopId,
          shopName: shop?.shopName ?? { zh: '', en: '', vi: '', th: '', es: '' },
          sellerOpenId: shop?.sellerOpenId ?? null,
          lines: [],
          goodsFen: 0,
          shippingFen: 0,
          totalFen: 0,
        };
        groups.set(key, g);
      }
      g.lines.push(r.line);
      if (r.line.available) {
        g.goodsFen += r.line.amountFen;
        weights.set(key, (weights.get(key) ?? 0) + (r.sku?.weight_g ?? 0) * r.line.quantity);
      }
    }
    let totalFen = 0;
    for (const [key, g] of groups) {
      g.shippingFen = g.goodsFen === 0 ? 0 : this.shippingFee(g.goodsFen, weights.get(key) ?? 0);
      g.totalFen = g.goodsFen + g.shippingFen;
      totalFen += g.totalFen;
    }
    return { groups: [...groups.values()], totalFen };
  }

  /** Domestic shipping to the warehouse: Taobao shops ship free from 99 yuan; 1688 charges by weight. */
  private shippingFee(goodsFen: number, weightG: number): number {
    if (this.platform === 'taobao') return goodsFen >= 9900 ? 0 : 500;
    const kg = Math.max(1, Math.ceil(weightG / 1000));
    return 800 + (kg - 1) * 300;
  }

  private changeStock(good: GoodRow, skuId: string, delta: number, at: number): void {
    const { db } = this.m;
    const before = db.prepare('select stock from skus where platform = ? and sku_id = ?').get(this.platform, skuId) as
      | { stock: number }
      | undefined;
    if (!before) return;
    if (before.stock + delta < 0) {
      throw new MarketRejection('out_of_stock', `SKU ${skuId} has ${before.stock} left`);
    }
    db.prepare('update skus set stock = stock + ? where platform = ? and sku_id = ?').run(delta, this.platform, skuId);
    touchGood(db, this.platform, good.id);
    if (before.stock > 0 !== before.stock + delta > 0) {
      this.m.events.append({
        platform: this.platform,
        type: 'product.changed',
        at,
        productId: good.id,
        data: { change: before.stock + delta > 0 ? 'back_in_stock' : 'out_of_stock', skuId },
      });
    }
  }

  private newOrderId(): string {
    const n = nextCounter(this.m.db, `${this.platform}:order`);
    return this.platform === 'taobao' ? `358${String(n).padStart(16, '0')}` : `24${String(n).padStart(16, '0')}`;
  }

  private newLineId(): string {
    const n = nextCounter(this.m.db, `${this.platform}:line`);
    return this.platform === 'taobao' ? `359${String(n).padStart(16, '0')}` : `25${String(n).padStart(16, '0')}`;
  }

  /** From the seller's city to the warehouse's. */
  private route(order: OrderRow): { from: number; hub: number } {
    const cities = this.m.catalog.names.vocab.cities.length;
    return { from: hash32(`from:${order.shop_id}`) % cities, hub: hash32(`hub:${order.order_id}`) % cities };
  }
}

function trackingNumber(c: (typeof CARRIERS)[number], seed: string): string {
  let digits = '';
  let h = hash32(seed);
  while (digits.length < c.digits) {
    h = hash32(`${h}:${digits.length}`);
    digits += String(h % 10);
  }
  return `${c.prefix}${digits}`;
}

function stateError(order: OrderRow, action: string): MarketRejection {
  return new MarketRejection('invalid_state', `cannot ${action} an order in status ${order.status}`);
}

function priceChanged(order: OrderRow, expectedTotalFen: number): MarketRejection {
  return new MarketRejection(
    'price_changed',
    `order ${order.order_id} totals ${order.total_fen} fen, not the ${expectedTotalFen} fen expected`,
    'expectedTotalFen',
  );
}

function lineProblem(line: PreviewLine): string {
  switch (line.problem) {
    case 'not_found':
      return line.skuId
        ? `product ${line.productId} has no SKU ${line.skuId}`
        : `product ${line.productId} not found or needs a skuId`;
    case 'delisted':
      return `product ${line.productId} is delisted`;
    case 'below_min_quantity':
      return `product ${line.productId} needs at least its minimum order quantity`;
    default:
      return `SKU ${line.skuId} has only ${line.stock} in stock`;
  }
}
