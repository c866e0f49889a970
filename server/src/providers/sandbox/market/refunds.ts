import { MarketRejection } from '../../errors.js';
import type {
  GoodsStatus,
  Localized,
  Platform,
  RefundChange,
  RefundMessage,
  RefundOptions,
  RefundReason,
  RefundRequest,
  RefundType,
  ReturnShipment,
  ShippingAddress,
  UpstreamRefund,
  UpstreamRefundStatus,
} from '../../types.js';
import { carrier, hash32, type MarketContext, nextCounter, unit } from './context.js';
import type { Orders } from './orders.js';

interface RefundRow {
  refund_id: string;
  platform: Platform;
  order_id: string;
  line_id: string;
  buyer_id: string;
  client_ref: string;
  refund_type: RefundType;
  goods_status: GoodsStatus;
  status: UpstreamRefundStatus;
  reason_id: string;
  amount_fen: number;
  description: string;
  images: string;
  deadline: number | null;
  timeout_action: 'agree' | 'close' | null;
  decision_at: number | null;
  return_address: string | null;
  return_carrier: string | null;
  return_tracking: string | null;
  return_description: string | null;
  return_shipped_at: number | null;
  refuse_reason: string | null;
  refuse_count: number;
  created_at: number;
  updated_at: number;
}

const r = (id: string, needsProof: boolean, zh: string, en: string, vi: string, th: string, es: string) => ({
  reasonId: id,
  needsProof,
  text: { zh, en, vi, th, es } as Localized,
});

/** Reasons before the goods ship, and after. The ids look like the marketplace's. */
const REASONS_NOT_SHIPPED: RefundReason[] = [
  r('150013', false, '我不想要了', 'I no longer want it', 'Tôi không muốn mua nữa', 'ไม่ต้องการแล้ว', 'Ya no lo quiero'),
  r(
    '150014',
    false,
    '拍错/多拍',
    'Ordered by mistake or too many',
    'Đặt nhầm hoặc đặt thừa',
    'สั่งผิดหรือสั่งเกิน',
    'Pedido por error o de más',
  ),
  r(
    '150015',
    false,
    '卖家缺货',
    'The seller is out of stock',
    'Người bán hết hàng',
    'ผู้ขายไม่มีสินค้า',
    'El vendedor no tiene existencias',
  ),
  r(
    '150016',
    false,
    '协商一致退款',
    'Agreed with the seller',
    'Đã thỏa thuận với người bán',
    'ตกลงกับผู้ขายแล้ว',
    'Acordado con el vendedor',
  ),
];
const REASONS_SHIPPED: RefundReason[] = [
  r('403769', false, '不想要了', 'I no longer want it', 'Tôi không muốn mua nữa', 'ไม่ต้องการแล้ว', 'Ya no lo quiero'),
  r('403770', true, '质量问题', 'Quality problem', 'Vấn đề chất lượng', 'ปัญหาด้านคุณภาพ', 'Problema de calidad'),
  r('403771', true, '少件/漏发', 'Missing items', 'Thiếu hàng', 'สินค้าขาดหาย', 'Faltan artículos'),
  r(
    '403772',
    true,
    '与商品描述不符',
    'Not as described',
    'Không đúng mô tả',
    'ไม่ตรงตามคำอธิบาย',
    'No coincide con la descripción',
  ),
  r(
    '403773',
    true,
    '卖家发错货',
    'Wrong item sent',
    'Người bán gửi sai hàng',
    'ผู้ขายส่งสินค้าผิด',
    'El vendedor envió otro artículo',
  ),
];
const ALL_REASONS = [...REASONS_NOT_SHIPPED, ...REASONS_SHIPPED];

const REFUSALS = [
  '商品已发出，请收到货后再申请',
  '退款金额与协商不一致',
  '商品无质量问题，不支持退款',
  '请提供商品问题照片',
];

/** What the seller answers a buyer's message with, by where the case stands (Chinese, then English). */
const SELLER_REPLIES: Record<UpstreamRefundStatus, string> = {
  wait_seller_agree:
    '亲，已收到您的留言，我们会尽快处理退款申请。\nWe have your message and will decide on the refund soon.',
  seller_refused:
    '亲，请按拒绝原因修改申请或补充凭证后再提交。\nPlease change the request or add pictures as the refusal says, then submit it again.',
  wait_buyer_return:
    '请按退货地址寄回商品，并提交退货单号。\nPlease send the goods to the return address and submit the tracking number.',
  wait_seller_receive: '收到退货后我们会第一时间确认退款。\nWe will confirm the refund as soon as the parcel arrives.',
  success: '该退款已完成，如有其他问题请随时联系。\nThis refund is done; write to us for anything else.',
  closed: '该退款已关闭，如需帮助请重新申请。\nThis refund is closed; apply again if you need help.',
};

const OPEN: UpstreamRefundStatus[] = [
  'wait_seller_agree',
  'wait_buyer_return',
  'wait_seller_receive',
  'seller_refused',
];

/** The after-sales cases of one platform, with the simulated seller's side of them. */
export class Refunds {
  constructor(
    private readonly m: MarketContext,
    private readonly orders: Orders,
    readonly platform: Platform,
  ) {}

  options(orderId: string, lineId: string, buyerId: string): RefundOptions {
    const order = this.orders.own(orderId, buyerId);
    const line = this.orders.lines(orderId).find((l) => l.line_id === lineId);
    if (!line) throw new MarketRejection('not_found', `order line ${lineId}`);
    const shipped = line.tracking_no !== null;
    const active = this.m.db
      .prepare(`select count(*) as n from refunds where line_id = ? and status in (${OPEN.map(() => '?').join(', ')})`)
      .get(lineId, ...OPEN) as { n: number };
    const max = line.amount_fen - line.refunded_fen;
    return {
      reasons: shipped ? REASONS_SHIPPED : REASONS_NOT_SHIPPED,
      goodsStatuses: shipped ? ['in_transit', 'received', 'at_warehouse'] : ['not_shipped'],
      refundTypes: shipped ? ['refund', 'return_refund'] : ['refund'],
      maxRefundFen: Math.max(0, max),
      allowed:
        max > 0 &&
        active.n === 0 &&
        order.status !== 'wait_buyer_pay' &&
        order.status !== 'closed' &&
        line.status !== 'closed',
    };
  }

  create(req: RefundRequest): UpstreamRefund {
    const { db, clock, policy } = this.m;
    return db
      .transaction(() => {
        const existing = this.byClientRef(req.clientRef, req.buyerId);
        if (existing) return existing;
        const options = this.options(req.orderId, req.lineId, req.buyerId);
        if (!options.allowed) {
          throw new MarketRejection(
            'invalid_state',
            'this line cannot have a refund now (unpaid, closed, refunded or already in a refund)',
          );
        }
        this.check(options, req.refundType, req.goodsStatus, req.reasonId, req.amountFen);
        const now = clock.now();
        const rules = policy.get();
        const refundId = this.newRefundId();
        db.prepare(
          `insert into refunds (refund_id, platform, order_id, line_id, buyer_id, client_ref, refund_type, goods_status,
            status, reason_id, amount_fen, description, images, deadline, timeout_action, decision_at, refuse_count,
            created_at, updated_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, 'wait_seller_agree', ?, ?, ?, ?, ?, 'agree', ?, 0, ?, ?)`,
        ).run(
          refundId,
          this.platform,
          req.orderId,
          req.lineId,
          req.buyerId,
          req.clientRef,
          req.refundType,
          req.goodsStatus,
          req.reasonId,
          req.amountFen,
          req.description ?? '',
          JSON.stringify(req.images ?? []),
          now + rules.sellerAgreeTimeoutMs,
          now + rules.refundDecisionAfterMs,
          now,
          now,
        );
        this.message(
          refundId,
          'system',
          `买家发起了${req.refundType === 'refund' ? '仅退款' : '退货退款'}申请，退款金额 ${fen(req.amountFen)} 元`,
          now,
        );
        return this.load(refundId);
      })
      .immediate();
  }

  modify(change: RefundChange): UpstreamRefund {
    const { db, clock, policy } = this.m;
    return db
      .transaction(() => {
        const row = this.own(change.refundId, change.buyerId);
        if (row.status !== 'wait_seller_agree' && row.status !== 'seller_refused') {
          throw stateError(row, 'modify');
        }
        const options = this.optionsIgnoringSelf(row);
        const next = {
          refundType: change.refundType ?? row.refund_type,
          goodsStatus: change.goodsStatus ?? row.goods_status,
          reasonId: change.reasonId ?? row.reason_id,
          amountFen: change.amountFen ?? row.amount_fen,
        };
        this.check(options, next.refundType, next.goodsStatus, next.reasonId, next.amountFen);
        const now = clock.now();
        const rules = policy.get();
        db.prepare(
          `update refunds set refund_type = ?, goods_status = ?, reason_id = ?, amount_fen = ?, description = ?,
            images = ?, status = 'wait_seller_agree', deadline = ?, timeout_action = 'agree', decision_at = ?,
            updated_at = ? where refund_id = ?`,
        ).run(
          next.refundType,
          next.goodsStatus,
          next.reasonId,
          next.amountFen,
          change.description ?? row.description,
          change.images ? JSON.stringify(change.images) : row.images,
          now + rules.sellerAgreeTimeoutMs,
          now + rules.refundDecisionAfterMs,
          now,
          row.refund_id,
        );
        this.message(row.refund_id, 'system', `买家修改了退款申请，退款金额 ${fen(next.amountFen)} 元`, now);
        return this.load(row.refund_id);
      })
      .immediate();
  }

  cancel(refundId: string, buyerId: string): UpstreamRefund {
    const { db, clock } = this.m;
    return db
      .transaction(() => {
        const row = this.own(refundId, buyerId);
        if (row.status === 'success' || row.status === 'closed' || row.status === 'wait_seller_receive') {
          throw stateError(row, 'cancel');
        }
        const now = clock.now();
        this.setStatus(row, 'closed', now, { deadline: null, decision: null });
        this.message(refundId, 'system', '买家撤销了退款申请', now);
        return this.load(refundId);
      })
      .immediate();
  }

  submitReturn(refundId: string, buyerId: string, shipment: ReturnShipment): UpstreamRefund {
    const { db, clock, policy } = this.m;
    return db
      .transaction(() => {
        const row = this.own(refundId, buyerId);
        if (row.status !== 'wait_buyer_return') throw stateError(row, 'send the return parcel of');
        if (!carrier(shipment.carrierCode)) {
          throw new MarketRejection('invalid_value', `unknown carrier ${shipment.carrierCode}`, 'carrierCode');
        }
        const now = clock.now();
        const rules = policy.get();
        db.prepare(
          `update refunds set status = 'wait_seller_receive', return_carrier = ?, return_tracking = ?,
            return_description = ?, return_shipped_at = ?, deadline = ?, timeout_action = 'agree', decision_at = ?,
            updated_at = ? where refund_id = ?`,
        ).run(
          shipment.carrierCode,
          shipment.trackingNo,
          shipment.description ?? '',
          now,
          now + rules.sellerReceiveTimeoutMs,
          now + rules.returnReceiveAfterMs,
          now,
          refundId,
        );
        this.message(refundId, 'buyer', `退货已寄出：${shipment.carrierCode} ${shipment.trackingNo}`, now);
        return this.load(refundId);
      })
      .immediate();
  }

  /** The refund `create` made for this `clientRef`, or null. */
  byClientRef(clientRef: string, buyerId: string): UpstreamRefund | null {
    const row = this.m.db
      .prepare('select refund_id from refunds where platform = ? and buyer_id = ? and client_ref = ?')
      .get(this.platform, buyerId, clientRef) as { refund_id: string } | undefined;
    return row ? this.load(row.refund_id) : null;
  }

  get(refundId: string, buyerId: string): UpstreamRefund | null {
    const row = this.row(refundId);
    return row && row.buyer_id === buyerId ? this.toRefund(row) : null;
  }

  ofOrder(orderId: string, buyerId: string): UpstreamRefund[] {
    this.orders.own(orderId, buyerId);
    const rows = this.m.db
      .prepare('select * from refunds where order_id = ? order by created_at desc, refund_id desc')
      .all(orderId) as RefundRow[];
    return rows.map((row) => this.toRefund(row));
  }

  /**
   * The buyer's message; the seller answers it `refundReplyAfterMs` later (market time), about where the case
   * stands then: the answer is written now, and listed once its time has come.
   */
  addMessage(refundId: string, buyerId: string, text: string, images: string[] = []): RefundMessage {
    const { db, clock, policy } = this.m;
    return db
      .transaction(() => {
        const row = this.own(refundId, buyerId);
        const now = clock.now();
        const id = this.message(row.refund_id, 'buyer', text, now, images);
        this.message(row.refund_id, 'seller', SELLER_REPLIES[row.status], now + policy.get().refundReplyAfterMs);
        return this.messages(refundId).find((m) => m.messageId === id) as RefundMessage;
      })
      .immediate();
  }

  /** The conversation up to now (market time), oldest first. */
  messages(refundId: string, buyerId?: string): RefundMessage[] {
    if (buyerId !== undefined) this.own(refundId, buyerId);
    const rows = this.m.db
      .prepare('select * from refund_messages where refund_id = ? and time <= ? order by time, message_id')
      .all(refundId, this.m.clock.now()) as {
      message_id: number;
      sender: RefundMessage['from'];
      text: string;
      images: string;
      time: number;
    }[];
    return rows.map((m) => ({
      messageId: String(m.message_id),
      refundId,
      from: m.sender,
      text: m.text,
      images: JSON.parse(m.images) as string[],
      time: m.time,
    }));
  }

  // -- the seller -----------------------------------------------------------------------------------

  /** The seller agrees: a refund-only case is paid back; a return waits for the parcel. */
  agree(refundId: string): UpstreamRefund {
    return this.sellerAct(refundId, (row, now) => this.doAgree(row, now, false));
  }

  refuse(refundId: string, reason?: string): UpstreamRefund {
    return this.sellerAct(refundId, (row, now) => this.doRefuse(row, now, reason));
  }

  /** The seller confirms the returned parcel arrived: the refund is paid. */
  confirmReturn(refundId: string): UpstreamRefund {
    return this.sellerAct(refundId, (row, now) => {
      if (row.status !== 'wait_seller_receive') throw stateError(row, 'confirm the returned parcel of');
      this.doReceive(row, now, false);
    });
  }

  runDue(now: number): number {
    const { db } = this.m;
    let ran = 0;
    for (;;) {
      const due = db
        .prepare(
          `select refund_id from refunds where platform = ? and (decision_at <= ? or deadline <= ?)
           order by min(coalesce(decision_at, deadline), coalesce(deadline, decision_at)), refund_id limit 50`,
        )
        .all(this.platform, now, now) as { refund_id: string }[];
      if (due.length === 0) return ran;
      for (const { refund_id } of due) ran += db.transaction(() => this.runRefund(refund_id, now)).immediate();
    }
  }

  private runRefund(refundId: string, now: number): number {
    const row = this.row(refundId);
    if (!row) return 0;
    const decisionDue = row.decision_at !== null && row.decision_at <= now;
    const deadlineDue = row.deadline !== null && row.deadline <= now;
    if (!decisionDue && !deadlineDue) return 0;
    // Whichever came first in market time happens.
    if (decisionDue && (!deadlineDue || (row.decision_at ?? 0) <= (row.deadline ?? 0))) {
      const at = row.decision_at ?? now;
      if (row.status === 'wait_seller_agree') {
        if (this.decide(row)) this.doAgree(row, at, false);
        else this.doRefuse(row, at);
      } else if (row.status === 'wait_seller_receive') {
        this.doReceive(row, at, false);
      } else {
        this.m.db.prepare('update refunds set decision_at = null where refund_id = ?').run(refundId);
      }
      return 1;
    }
    const at = row.deadline ?? now;
    if (row.status === 'wait_seller_agree') this.doAgree(row, at, true);
    else if (row.status === 'wait_seller_receive') this.doReceive(row, at, true);
    else if (row.status === 'seller_refused' || row.status === 'wait_buyer_return') {
      this.setStatus(row, 'closed', at, { deadline: null, decision: null });
      this.message(refundId, 'system', '退款申请超时关闭', at);
      this.emit(row, 'refund.closed', at, { status: 'closed', reason: 'timeout' });
    } else {
      this.m.db.prepare('update refunds set deadline = null, timeout_action = null where refund_id = ?').run(refundId);
    }
    return 1;
  }

  private decide(row: RefundRow): boolean {
    const rules = this.m.policy.get();
    if (rules.refundDecision === 'agree') return true;
    if (rules.refundDecision === 'refuse') return false;
    return unit(`decide:${row.refund_id}:${row.refuse_count}`) < rules.refundAgreeRate;
  }

  private doAgree(row: RefundRow, at: number, automatic: boolean): void {
    if (row.status !== 'wait_seller_agree') throw stateError(row, 'agree to');
    const rules = this.m.policy.get();
    if (row.refund_type === 'refund') {
      this.setStatus(row, 'success', at, { deadline: null, decision: null });
      this.message(
        row.refund_id,
        automatic ? 'system' : 'seller',
        automatic ? '卖家超时未处理，系统自动同意退款' : '卖家同意退款',
        at,
      );
      this.emit(row, 'refund.agreed', at, { status: 'success', automatic });
      this.succeed(row, at);
      return;
    }
    const address = this.returnAddress(row);
    this.m.db
      .prepare(
        `update refunds set status = 'wait_buyer_return', return_address = ?, deadline = ?, timeout_action = 'close',
          decision_at = null, updated_at = ? where refund_id = ?`,
      )
      .run(JSON.stringify(address), at + rules.buyerReturnTimeoutMs, at, row.refund_id);
    this.message(
      row.refund_id,
      automatic ? 'system' : 'seller',
      `卖家同意退货，请寄回：${address.province}${address.city}${address.address}`,
      at,
    );
    this.emit(row, 'refund.agreed', at, { status: 'wait_buyer_return', automatic, returnAddress: address });
  }

  private doRefuse(row: RefundRow, at: number, reason?: string): void {
    if (row.status !== 'wait_seller_agree') throw stateError(row, 'refuse');
    const rules = this.m.policy.get();
    const text = reason ?? REFUSALS[hash32(`refuse:${row.refund_id}:${row.refuse_count}`) % REFUSALS.length] ?? '';
    this.m.db
      .prepare(
        `update refunds set status = 'seller_refused', refuse_reason = ?, refuse_count = refuse_count + 1,
          deadline = ?, timeout_action = 'close', decision_at = null, updated_at = ? where refund_id = ?`,
      )
      .run(text, at + rules.buyerModifyTimeoutMs, at, row.refund_id);
    this.message(row.refund_id, 'seller', `卖家拒绝了退款申请：${text}`, at);
    this.emit(row, 'refund.refused', at, { status: 'seller_refused', refuseReason: text });
  }

  private doReceive(row: RefundRow, at: number, automatic: boolean): void {
    this.setStatus(row, 'success', at, { deadline: null, decision: null });
    this.message(
      row.refund_id,
      automatic ? 'system' : 'seller',
      automatic ? '卖家超时未确认收货，系统自动退款' : '卖家已确认收到退货',
      at,
    );
    this.emit(row, 'refund.goods_received', at, { status: 'success', automatic });
    this.succeed(row, at);
  }

  private succeed(row: RefundRow, at: number): void {
    this.emit(row, 'refund.succeeded', at, { status: 'success', amountFen: row.amount_fen });
    this.orders.lineRefunded(row.order_id, row.line_id, row.amount_fen, at);
  }

  private sellerAct(refundId: string, act: (row: RefundRow, now: number) => void): UpstreamRefund {
    const { db, clock } = this.m;
    return db
      .transaction(() => {
        const row = this.row(refundId);
        if (!row) throw new MarketRejection('not_found', `refund ${refundId}`);
        act(row, clock.now());
        return this.load(refundId);
      })
      .immediate();
  }

  // -- helpers --------------------------------------------------------------------------------------

  private check(options: RefundOptions, type: RefundType, goods: GoodsStatus, reasonId: string, amount: number): void {
    if (!options.refundTypes.includes(type)) {
      throw new MarketRejection('invalid_value', `refund type ${type} is not possible for this line now`, 'refundType');
    }
    if (!options.goodsStatuses.includes(goods)) {
      throw new MarketRejection('invalid_value', `goods status ${goods} does not match the line`, 'goodsStatus');
    }
    if (!options.reasons.some((x) => x.reasonId === reasonId)) {
      throw new MarketRejection('invalid_value', `unknown reason ${reasonId} for this line`, 'reasonId');
    }
    if (amount < 1 || amount > options.maxRefundFen) {
      throw new MarketRejection('invalid_value', `must be from 1 to ${options.maxRefundFen} fen`, 'refundFee');
    }
  }

  /** Options for modifying a refund: its own amount does not count as refunded or open. */
  private optionsIgnoringSelf(row: RefundRow): RefundOptions {
    const line = this.orders.lines(row.order_id).find((l) => l.line_id === row.line_id);
    const shipped = line?.tracking_no !== null && line?.tracking_no !== undefined;
    return {
      reasons: shipped ? REASONS_SHIPPED : REASONS_NOT_SHIPPED,
      goodsStatuses: shipped ? ['in_transit', 'received', 'at_warehouse'] : ['not_shipped'],
      refundTypes: shipped ? ['refund', 'return_refund'] : ['refund'],
      maxRefundFen: line ? line.amount_fen - line.refunded_fen : 0,
      allowed: true,
    };
  }

  private setStatus(
    row: RefundRow,
    status: UpstreamRefundStatus,
    at: number,
    times: { deadline: number | null; decision: number | null },
  ): void {
    this.m.db
      .prepare(
        `update refunds set status = ?, deadline = ?, timeout_action = case when ? is null then null else timeout_action end,
          decision_at = ?, updated_at = ? where refund_id = ?`,
      )
      .run(status, times.deadline, times.deadline, times.decision, at, row.refund_id);
  }

  private emit(
    row: RefundRow,
    type: 'refund.agreed' | 'refund.refused' | 'refund.goods_received' | 'refund.succeeded' | 'refund.closed',
    at: number,
    data: Record<string, unknown>,
  ): void {
    // The refund as the change left it: its next deadline and what happens then, so that a consumer need not ask.
    const now = this.row(row.refund_id) ?? row;
    this.m.events.append({
      platform: this.platform,
      type,
      at,
      orderId: row.order_id,
      refundId: row.refund_id,
      data: {
        ...data,
        lineId: row.line_id,
        buyerId: row.buyer_id,
        deadline: now.deadline,
        timeoutAction: now.deadline === null ? null : now.timeout_action,
        refuseCount: now.refuse_count,
      },
    });
  }

  private message(
    refundId: string,
    from: RefundMessage['from'],
    text: string,
    at: number,
    images: string[] = [],
  ): string {
    const info = this.m.db
      .prepare('insert into refund_messages (refund_id, sender, text, images, time) values (?, ?, ?, ?, ?)')
      .run(refundId, from, text, JSON.stringify(images), at);
    return String(info.lastInsertRowid);
  }

  private returnAddress(row: RefundRow): ShippingAddress {
    const order = this.orders.row(row.order_id);
    const shop = order ? this.m.catalog.shop(this.platform, order.shop_id) : null;
    const cities = this.m.catalog.names.vocab.cities;
    const place = cities[hash32(`from:${order?.shop_id ?? ''}`) % cities.length];
    return {
      receiver: `${shop?.shopName.zh ?? '卖家'}售后部`,
      phone: `1${String(3_000_000_000 + (hash32(`phone:${order?.shop_id}`) % 999_999_999)).slice(0, 10)}`,
      province: place?.province.zh ?? '浙江',
      city: place?.city.zh ?? '杭州',
      district: '',
      address: `工业园区${(hash32(`street:${order?.shop_id}`) % 300) + 1}号 售后仓`,
    };
  }

  private row(refundId: string): RefundRow | undefined {
    return this.m.db
      .prepare('select * from refunds where refund_id = ? and platform = ?')
      .get(refundId, this.platform) as RefundRow | undefined;
  }

  private own(refundId: string, buyerId: string): RefundRow {
    const row = this.row(refundId);
    if (!row || row.buyer_id !== buyerId) throw new MarketRejection('not_found', `refund ${refundId}`);
    return row;
  }

  private load(refundId: string): UpstreamRefund {
    const row = this.row(refundId);
    if (!row) throw new MarketRejection('not_found', `refund ${refundId}`);
    return this.toRefund(row);
  }

  private toRefund(row: RefundRow): UpstreamRefund {
    const reason = ALL_REASONS.find((x) => x.reasonId === row.reason_id) ?? {
      reasonId: row.reason_id,
      needsProof: false,
      text: { zh: row.reason_id, en: row.reason_id, vi: row.reason_id, th: row.reason_id, es: row.reason_id },
    };
    return {
      platform: row.platform,
      refundId: row.refund_id,
      orderId: row.order_id,
      lineId: row.line_id,
      buyerId: row.buyer_id,
      clientRef: row.client_ref,
      refundType: row.refund_type,
      goodsStatus: row.goods_status,
      status: row.status,
      reason,
      amountFen: row.amount_fen,
      description: row.description,
      images: JSON.parse(row.images) as string[],
      deadline: row.deadline,
      timeoutAction: row.deadline === null ? null : row.timeout_action,
      returnAddress: row.return_address ? (JSON.parse(row.return_address) as ShippingAddress) : null,
      returnShipment:
        row.return_carrier && row.return_tracking && row.return_shipped_at !== null
          ? {
              carrierCode: row.return_carrier,
              trackingNo: row.return_tracking,
              description: row.return_description ?? '',
              shippedAt: row.return_shipped_at,
            }
          : null,
      refuseReason: row.refuse_reason,
      refuseCount: row.refuse_count,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private newRefundId(): string {
    const n = nextCounter(this.m.db, `${this.platform}:refund`);
    return this.platform === 'taobao' ? String(110_000_000_000 + n) : `TQ${String(n).padStart(16, '0')}`;
  }
}

function fen(amount: number): string {
  return (amount / 100).toFixed(2);
}

function stateError(row: RefundRow, action: string): MarketRejection {
  return new MarketRejection('invalid_state', `cannot ${action} a refund in status ${row.status}`);
}
