import { createHash } from 'node:crypto';
import type { Language } from '../../platform/http/i18n.js';
import type { Localized, ProviderSkuProperty } from '../../providers/types.js';
import type { OrderAggregate } from './orders.types.js';

/**
 * The hosted payment page's HTML: no script, no external asset, one inline style allowed by its hash,
 * every value escaped. Texts in the five languages of the API.
 */

const TEXTS = {
  title: {
    en: 'Pay 1688 order {id}',
    zh: '支付 1688 订单 {id}',
    vi: 'Thanh toán đơn hàng 1688 {id}',
    th: 'ชำระเงินคำสั่งซื้อ 1688 {id}',
    es: 'Pagar el pedido 1688 {id}',
  },
  seller: { en: 'Seller', zh: '卖家', vi: 'Người bán', th: 'ผู้ขาย', es: 'Vendedor' },
  item: { en: 'Item', zh: '商品', vi: 'Sản phẩm', th: 'สินค้า', es: 'Artículo' },
  quantity: { en: 'Qty', zh: '数量', vi: 'SL', th: 'จำนวน', es: 'Cant.' },
  unitPrice: { en: 'Unit price', zh: '单价', vi: 'Đơn giá', th: 'ราคาต่อหน่วย', es: 'Precio unitario' },
  amount: { en: 'Amount', zh: '金额', vi: 'Thành tiền', th: 'จำนวนเงิน', es: 'Importe' },
  goods: { en: 'Goods', zh: '商品金额', vi: 'Tiền hàng', th: 'ค่าสินค้า', es: 'Mercancía' },
  shipping: { en: 'Shipping', zh: '运费', vi: 'Phí vận chuyển', th: 'ค่าจัดส่ง', es: 'Envío' },
  adjust: {
    en: 'Seller’s change',
    zh: '卖家改价',
    vi: 'Người bán điều chỉnh',
    th: 'ผู้ขายปรับราคา',
    es: 'Ajuste del vendedor',
  },
  total: { en: 'Total', zh: '合计', vi: 'Tổng cộng', th: 'รวมทั้งสิ้น', es: 'Total' },
  balance: { en: 'Your balance', zh: '您的余额', vi: 'Số dư của bạn', th: 'ยอดเงินของคุณ', es: 'Su saldo' },
  due: { en: 'Still due', zh: '待支付', vi: 'Còn phải trả', th: 'ยอดค้างชำระ', es: 'Pendiente de pago' },
  pay: {
    en: 'Pay {amount} from the balance',
    zh: '从余额支付 {amount}',
    vi: 'Thanh toán {amount} từ số dư',
    th: 'ชำระ {amount} จากยอดเงิน',
    es: 'Pagar {amount} con el saldo',
  },
  short: {
    en: 'The balance is short by {amount}. Top it up, then reload this page.',
    zh: '余额还差 {amount}。请充值后刷新本页。',
    vi: 'Số dư còn thiếu {amount}. Hãy nạp thêm rồi tải lại trang này.',
    th: 'ยอดเงินขาดอีก {amount} โปรดเติมเงินแล้วโหลดหน้านี้ใหม่',
    es: 'Al saldo le faltan {amount}. Recárguelo y vuelva a cargar esta página.',
  },
  paid: {
    en: 'Paid. Thank you.',
    zh: '支付成功，谢谢。',
    vi: 'Đã thanh toán. Xin cảm ơn.',
    th: 'ชำระเงินแล้ว ขอบคุณ',
    es: 'Pagado. Gracias.',
  },
  alreadyPaid: {
    en: 'This order is already paid.',
    zh: '该订单已支付。',
    vi: 'Đơn hàng này đã được thanh toán.',
    th: 'คำสั่งซื้อนี้ชำระเงินแล้ว',
    es: 'Este pedido ya está pagado.',
  },
  pending: {
    en: 'The payment was taken and is being confirmed with the marketplace.',
    zh: '已扣款，正在与平台确认。',
    vi: 'Đã trừ tiền và đang xác nhận với sàn.',
    th: 'ตัดเงินแล้ว กำลังยืนยันกับตลาด',
    es: 'El pago se cobró y se está confirmando con el mercado.',
  },
  closed: {
    en: 'This order is closed and cannot be paid.',
    zh: '该订单已关闭，无法支付。',
    vi: 'Đơn hàng này đã đóng và không thể thanh toán.',
    th: 'คำสั่งซื้อนี้ปิดแล้วและไม่สามารถชำระเงินได้',
    es: 'Este pedido está cerrado y no se puede pagar.',
  },
  notFound: {
    en: 'This payment link is not valid.',
    zh: '该支付链接无效。',
    vi: 'Liên kết thanh toán này không hợp lệ.',
    th: 'ลิงก์ชำระเงินนี้ไม่ถูกต้อง',
    es: 'Este enlace de pago no es válido.',
  },
  expired: {
    en: 'This payment link has expired; ask for a new one (GET /alibaba/order/pay/url).',
    zh: '该支付链接已过期；请重新获取（GET /alibaba/order/pay/url）。',
    vi: 'Liên kết thanh toán này đã hết hạn; hãy lấy liên kết mới (GET /alibaba/order/pay/url).',
    th: 'ลิงก์ชำระเงินนี้หมดอายุแล้ว โปรดขอลิงก์ใหม่ (GET /alibaba/order/pay/url)',
    es: 'Este enlace de pago caducó; pida uno nuevo (GET /alibaba/order/pay/url).',
  },
  back: {
    en: 'Back to the order',
    zh: '返回订单',
    vi: 'Quay lại đơn hàng',
    th: 'กลับไปที่คำสั่งซื้อ',
    es: 'Volver al pedido',
  },
} as const satisfies Record<string, Localized>;

export type PageText = keyof typeof TEXTS;

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}' +
  'table{border-collapse:collapse;width:100%}td,th{padding:.35rem .5rem;border-bottom:1px solid #ddd;text-align:left}' +
  '.n{text-align:right}.msg{padding:.75rem 1rem;border-radius:.4rem;background:#eef5ff}' +
  '.err{background:#fdecea}button{font-size:1.05rem;padding:.6rem 1.2rem}small{color:#666}';

/** The page's Content-Security-Policy: nothing but its own inline style and form. */
export const PAY_PAGE_CSP =
  `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; ` +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const escapeHtml = (value: string | number) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function say(lang: Language, key: PageText, params: Record<string, string> = {}): string {
  return TEXTS[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
}

/** Fen as yuan: `¥12.34`, `-¥0.50`. */
export function yuan(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function parse<T>(json: string, fallback: T): T {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

function linesTable(agg: OrderAggregate, lang: Language): string {
  const rows = agg.parts
    .flatMap((p) => p.lines)
    .map((line) => {
      const title = parse<Partial<Localized>>(line.title, {});
      const props = parse<ProviderSkuProperty[]>(line.sku_properties, [])
        .map((p) => `${p.propName[lang]}: ${p.valueName[lang]}`)
        .join(', ');
      return (
        `<tr><td>${escapeHtml(title[lang] ?? title.zh ?? line.product_id)}<br><small>${escapeHtml(props)}</small></td>` +
        `<td class="n">${line.quantity}</td><td class="n">${yuan(Number(line.unit_price_fen))}</td>` +
        `<td class="n">${yuan(Number(line.amount_fen))}</td></tr>`
      );
    })
    .join('');
  const head = ['item', 'quantity', 'unitPrice', 'amount'] as const;
  return `<table><tr>${head.map((k, i) => `<th${i ? ' class="n"' : ''}>${escapeHtml(say(lang, k))}</th>`).join('')}</tr>${rows}</table>`;
}

function totals(agg: OrderAggregate, balanceFen: number, dueFen: number, lang: Language): string {
  const o = agg.order;
  const rows: [PageText, number][] = [
    ['goods', Number(o.goods_fen)],
    ['shipping', Number(o.shipping_fen)],
    ...(Number(o.adjust_fen) !== 0 ? [['adjust', Number(o.adjust_fen)] as [PageText, number]] : []),
    ['total', Number(o.total_fen)],
    ['balance', balanceFen],
    ['due', dueFen],
  ];
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(say(lang, k))}</th><td class="n">${yuan(v)}</td></tr>`).join('')}</table>`;
}

export interface OrderPageState {
  agg: OrderAggregate;
  balanceFen: number;
  dueFen: number;
  /** What the page says above the order (the result of a payment, or the order's state). */
  notice?: { text: string; error: boolean };
  /** Whether the button is shown (the order awaits payment). */
  payable: boolean;
}

function document(lang: Language, title: string, body: string): string {
  return (
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">' +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`
  );
}

/** The order, the balance, what is due and (while it awaits payment) the button. */
export function orderPage(state: OrderPageState, lang: Language): string {
  const { agg, balanceFen, dueFen } = state;
  const shopName = parse<Partial<Localized>>(agg.parts[0]?.part.shop_name ?? '{}', {});
  const title = say(lang, 'title', { id: agg.order.id });
  const notice = state.notice
    ? `<p class="msg${state.notice.error ? ' err' : ''}">${escapeHtml(state.notice.text)}</p>`
    : '';
  const short = dueFen - balanceFen;
  const action = !state.payable
    ? ''
    : short > 0
      ? `<p class="msg err">${escapeHtml(say(lang, 'short', { amount: yuan(short) }))}</p>` +
        `<form method="post"><button type="submit" disabled>${escapeHtml(say(lang, 'pay', { amount: yuan(dueFen) }))}</button></form>`
      : `<form method="post"><button type="submit">${escapeHtml(say(lang, 'pay', { amount: yuan(dueFen) }))}</button></form>`;
  const body =
    `<h1>${escapeHtml(title)}</h1>${notice}` +
    `<p>${escapeHtml(say(lang, 'seller'))}: ${escapeHtml(shopName[lang] ?? shopName.zh ?? '')}` +
    `${shopName.zh && shopName.zh !== shopName[lang] ? ` <small>${escapeHtml(shopName.zh)}</small>` : ''}</p>` +
    `${linesTable(agg, lang)}${totals(agg, balanceFen, dueFen, lang)}${action}`;
  return document(lang, title, body);
}

/** A page with one message (a bad or expired link). */
export function messagePage(lang: Language, key: PageText): string {
  return document(lang, say(lang, key), `<p class="msg err">${escapeHtml(say(lang, key))}</p>`);
}
