import { format, type Language, type Translations } from './i18n.js';
import { type PhraseParams, phrase, type ReasonId, renderParams } from './reasons.js';

/**
 * Every error code the API can answer, in one table (docs/architecture.md §4). The first three digits are
 * the HTTP status sent with it. Messages may hold `{placeholders}` filled from the error's params.
 * Modules add their codes here, in their own range, so that the OpenAPI document lists them all.
 */
export const ERROR_CODES = {
  40001: {
    name: 'INVALID_PARAMETER',
    en: 'Invalid parameter {field}: {reason}',
    zh: '参数 {field} 无效：{reason}',
    vi: 'Tham số {field} không hợp lệ: {reason}',
    th: 'พารามิเตอร์ {field} ไม่ถูกต้อง: {reason}',
    es: 'Parámetro {field} no válido: {reason}',
  },
  40101: {
    name: 'MISSING_SYSTEM_PARAMETER',
    en: 'Missing system parameter: {field}',
    zh: '缺少系统参数：{field}',
    vi: 'Thiếu tham số hệ thống: {field}',
    th: 'ไม่มีพารามิเตอร์ระบบ: {field}',
    es: 'Falta el parámetro de sistema: {field}',
  },
  40102: {
    name: 'BAD_SIGNATURE',
    en: 'Signature does not match the request',
    zh: '签名与请求不匹配',
    vi: 'Chữ ký không khớp với yêu cầu',
    th: 'ลายเซ็นไม่ตรงกับคำขอ',
    es: 'La firma no coincide con la solicitud',
  },
  40103: {
    name: 'TIMESTAMP_OUT_OF_WINDOW',
    en: 'Timestamp is more than {seconds} seconds away from server time',
    zh: '时间戳与服务器时间相差超过 {seconds} 秒',
    vi: 'Dấu thời gian lệch quá {seconds} giây so với máy chủ',
    th: 'เวลาประทับต่างจากเวลาเซิร์ฟเวอร์เกิน {seconds} วินาที',
    es: 'La marca de tiempo difiere más de {seconds} segundos de la hora del servidor',
  },
  40104: {
    name: 'NONCE_REPLAYED',
    en: 'This nonce-str was already used',
    zh: 'nonce-str 已被使用',
    vi: 'nonce-str này đã được sử dụng',
    th: 'nonce-str นี้ถูกใช้ไปแล้ว',
    es: 'Este nonce-str ya se utilizó',
  },
  40105: {
    name: 'UNKNOWN_ACCESS_KEY',
    en: 'Unknown or disabled access key',
    zh: 'access-key 不存在或已停用',
    vi: 'Khóa truy cập không tồn tại hoặc đã bị vô hiệu hóa',
    th: 'ไม่รู้จัก access key หรือถูกปิดใช้งาน',
    es: 'Clave de acceso desconocida o deshabilitada',
  },
  40106: {
    name: 'BAD_OPERATOR_TOKEN',
    en: 'Missing or invalid operator token',
    zh: '运营令牌缺失或无效',
    vi: 'Thiếu hoặc sai mã thông báo của nhà vận hành',
    th: 'ไม่มีโทเค็นผู้ดูแลหรือโทเค็นไม่ถูกต้อง',
    es: 'Token de operador ausente o no válido',
  },
  40301: {
    name: 'SUB_ACCOUNT_NOT_ALLOWED',
    en: 'This user-id may not perform this request',
    zh: '该 user-id 无权执行此请求',
    vi: 'user-id này không được phép thực hiện yêu cầu',
    th: 'user-id นี้ไม่ได้รับอนุญาตให้ทำคำขอนี้',
    es: 'Este user-id no puede realizar esta solicitud',
  },
  40401: {
    name: 'NOT_FOUND',
    en: 'Not found: {what}',
    zh: '未找到：{what}',
    vi: 'Không tìm thấy: {what}',
    th: 'ไม่พบ: {what}',
    es: 'No encontrado: {what}',
  },
  40901: {
    name: 'STATE_CONFLICT',
    en: 'The current state does not allow this action: {reason}',
    zh: '当前状态不允许此操作：{reason}',
    vi: 'Trạng thái hiện tại không cho phép thao tác này: {reason}',
    th: 'สถานะปัจจุบันไม่อนุญาตให้ดำเนินการนี้: {reason}',
    es: 'El estado actual no permite esta acción: {reason}',
  },
  40902: {
    name: 'IDEMPOTENCY_KEY_REUSED',
    en: 'Idempotency-Key was already used with a different request',
    zh: 'Idempotency-Key 已用于另一个不同的请求',
    vi: 'Idempotency-Key đã được dùng cho một yêu cầu khác',
    th: 'Idempotency-Key ถูกใช้กับคำขออื่นแล้ว',
    es: 'El Idempotency-Key ya se usó con una solicitud diferente',
  },
  40903: {
    name: 'IDEMPOTENCY_KEY_IN_PROGRESS',
    en: 'A request with this Idempotency-Key is still running; retry later',
    zh: '使用该 Idempotency-Key 的请求仍在处理中，请稍后重试',
    vi: 'Yêu cầu với Idempotency-Key này vẫn đang chạy; hãy thử lại sau',
    th: 'คำขอที่ใช้ Idempotency-Key นี้ยังทำงานอยู่ โปรดลองใหม่ภายหลัง',
    es: 'Una solicitud con este Idempotency-Key sigue en curso; reintente más tarde',
  },
  41301: {
    name: 'BODY_TOO_LARGE',
    en: 'Request body exceeds {limit} bytes',
    zh: '请求体超过 {limit} 字节',
    vi: 'Nội dung yêu cầu vượt quá {limit} byte',
    th: 'เนื้อหาคำขอเกิน {limit} ไบต์',
    es: 'El cuerpo de la solicitud supera {limit} bytes',
  },
  41501: {
    name: 'UNSUPPORTED_MEDIA_TYPE',
    en: 'Unsupported Content-Type {type}; send application/json',
    zh: '不支持的 Content-Type {type}；请使用 application/json',
    vi: 'Content-Type {type} không được hỗ trợ; hãy gửi application/json',
    th: 'ไม่รองรับ Content-Type {type} โปรดส่ง application/json',
    es: 'Content-Type {type} no admitido; envíe application/json',
  },
  42201: {
    name: 'INSUFFICIENT_BALANCE',
    en: 'Insufficient balance',
    zh: '余额不足',
    vi: 'Số dư không đủ',
    th: 'ยอดเงินไม่เพียงพอ',
    es: 'Saldo insuficiente',
  },
  42202: {
    name: 'OUT_OF_STOCK',
    en: 'Out of stock or below the minimum quantity',
    zh: '库存不足或低于起订量',
    vi: 'Hết hàng hoặc dưới số lượng tối thiểu',
    th: 'สินค้าหมดหรือต่ำกว่าจำนวนขั้นต่ำ',
    es: 'Sin existencias o por debajo de la cantidad mínima',
  },
  42203: {
    name: 'PRICE_CHANGED',
    en: 'The price changed beyond your limit',
    zh: '价格变动超出您的限额',
    vi: 'Giá đã thay đổi vượt quá giới hạn của bạn',
    th: 'ราคาเปลี่ยนเกินขีดจำกัดของคุณ',
    es: 'El precio cambió por encima de su límite',
  },
  42901: {
    name: 'RATE_LIMITED',
    en: 'Too many requests; retry after {seconds} s',
    zh: '请求过于频繁，请 {seconds} 秒后重试',
    vi: 'Quá nhiều yêu cầu; thử lại sau {seconds} giây',
    th: 'คำขอมากเกินไป โปรดลองใหม่ใน {seconds} วินาที',
    es: 'Demasiadas solicitudes; reintente en {seconds} s',
  },
  50001: {
    name: 'INTERNAL',
    en: 'Internal error; quote the requestId when reporting it',
    zh: '内部错误；反馈时请提供 requestId',
    vi: 'Lỗi nội bộ; vui lòng cung cấp requestId khi báo lỗi',
    th: 'ข้อผิดพลาดภายใน โปรดแจ้ง requestId เมื่อรายงาน',
    es: 'Error interno; indique el requestId al reportarlo',
  },
  50101: {
    name: 'UPSTREAM_UNSUPPORTED',
    en: 'The configured upstream {upstream} has no API for {operation}',
    zh: '当前配置的上游 {upstream} 没有 {operation} 的接口',
    vi: 'Thượng nguồn đã cấu hình {upstream} không có API cho {operation}',
    th: 'ต้นทางที่ตั้งค่าไว้ {upstream} ไม่มี API สำหรับ {operation}',
    es: 'El origen configurado {upstream} no tiene API para {operation}',
  },
  50201: {
    name: 'UPSTREAM_FAILURE',
    en: 'The upstream marketplace failed: {reason}',
    zh: '上游平台出错：{reason}',
    vi: 'Sàn thượng nguồn gặp lỗi: {reason}',
    th: 'ตลาดต้นทางล้มเหลว: {reason}',
    es: 'El mercado de origen falló: {reason}',
  },
  50301: {
    name: 'UNAVAILABLE',
    en: 'Service unavailable: {reason}',
    zh: '服务不可用：{reason}',
    vi: 'Dịch vụ không khả dụng: {reason}',
    th: 'บริการไม่พร้อมใช้งาน: {reason}',
    es: 'Servicio no disponible: {reason}',
  },
  50401: {
    name: 'UPSTREAM_TIMEOUT',
    en: 'The upstream marketplace did not answer in time',
    zh: '上游平台响应超时',
    vi: 'Sàn thượng nguồn không phản hồi kịp thời',
    th: 'ตลาดต้นทางไม่ตอบกลับภายในเวลาที่กำหนด',
    es: 'El mercado de origen no respondió a tiempo',
  },
  50402: {
    name: 'UPSTREAM_OUTCOME_UNKNOWN',
    en: 'The upstream marketplace did not answer in time and may have made the change; retry with the same Idempotency-Key',
    zh: '上游平台响应超时，变更可能已生效；请使用相同的 Idempotency-Key 重试',
    vi: 'Sàn thượng nguồn không phản hồi kịp thời và có thể đã thực hiện thay đổi; hãy thử lại với cùng Idempotency-Key',
    th: 'ตลาดต้นทางไม่ตอบกลับภายในเวลาที่กำหนดและอาจทำรายการไปแล้ว โปรดลองใหม่ด้วย Idempotency-Key เดิม',
    es: 'El mercado de origen no respondió a tiempo y puede haber aplicado el cambio; reintente con la misma Idempotency-Key',
  },
} as const satisfies Record<number, { name: string } & Translations>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The values of a message's `{placeholders}`. Words go in as phrases of the reasons catalogue
 * (reasons.ts), rendered in the request's language: 40001's `reason`, 40401's `what`, 40901's
 * `reason`. Plain strings and numbers stay as they are, in every language: ids, field names, limits,
 * a media type, an upstream's own text inside 50201's frame, and the few `what`/`reason` texts of the
 * operator's routes (sandbox, system) that have no entry yet.
 */
export type ErrorParams = PhraseParams;

/** An error that becomes an envelope with its code; throw it from anywhere in a request. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, params: ErrorParams = {}, headers: Record<string, string> = {}) {
    super(errorMessage(code, 'en', params));
    this.name = 'ApiError';
    this.code = code;
    this.params = params;
    this.headers = headers;
  }
}

export function httpStatusOf(code: number): number {
  return code === 200 ? 200 : Math.floor(code / 100);
}

/** The message of `code` in `lang`, its params' phrases in `lang` too. */
export function errorMessage(code: ErrorCode, lang: Language, params: ErrorParams = {}): string {
  return format(ERROR_CODES[code][lang], renderParams(params, lang));
}

/** Shorthand for the most common error: 40001 naming the field and why (an id of the reasons catalogue). */
export function invalidParameter(field: string, reason: ReasonId, params?: PhraseParams): ApiError {
  return new ApiError(40001, { field, reason: phrase(reason, params) });
}

/**
 * 40401 for a thing of the reasons catalogue (`notFound('offer', offerId)`), or for a text that stays
 * as it is in every language (a route, an operator's record).
 */
export function notFound(thing: ReasonId, id: string | number): ApiError;
export function notFound(what: string): ApiError;
export function notFound(what: string, id?: string | number): ApiError {
  return new ApiError(40401, { what: id === undefined ? what : phrase(what as ReasonId, { id }) });
}

export const SUCCESS_MESSAGE: Translations = {
  en: 'success',
  zh: '成功',
  vi: 'thành công',
  th: 'สำเร็จ',
  es: 'éxito',
};
