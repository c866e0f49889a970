import type { Translations } from './i18n.js';

/** The reasons catalogue's words of international freight (modules/freight: rate cards, W1, W2, W4, parcels). */
export const FREIGHT_REASONS = {
  freightNoChannel: {
    en: 'no freight channel goes to {country}; destinations: {values}',
    zh: '没有发往 {country} 的物流渠道；可选目的地：{values}',
    vi: 'không có kênh vận chuyển đến {country}; các điểm đến: {values}',
    th: 'ไม่มีช่องทางขนส่งไป {country}; ปลายทางที่มี: {values}',
    es: 'ningún canal de envío va a {country}; destinos: {values}',
  },
  csvUnreadable: {
    en: 'not readable as CSV: {detail}',
    zh: '无法按 CSV 读取：{detail}',
    vi: 'không đọc được dưới dạng CSV: {detail}',
    th: 'อ่านเป็น CSV ไม่ได้: {detail}',
    es: 'no se puede leer como CSV: {detail}',
  },
  csvNoRows: {
    en: 'no channel rows: a rate card needs at least one channel',
    zh: '没有渠道行：运价表至少需要一个渠道',
    vi: 'không có dòng kênh nào: bảng giá cần ít nhất một kênh',
    th: 'ไม่มีแถวช่องทาง: ตารางราคาต้องมีอย่างน้อยหนึ่งช่องทาง',
    es: 'no hay filas de canales: una tarifa necesita al menos un canal',
  },
  csvColumnsMissing: {
    en: 'columns missing from the header: {columns}',
    zh: '表头缺少列：{columns}',
    vi: 'thiếu cột trong tiêu đề: {columns}',
    th: 'หัวตารางไม่มีคอลัมน์: {columns}',
    es: 'faltan columnas en la cabecera: {columns}',
  },
  csvInteger: {
    en: 'must be a whole number from {min} to {max}',
    zh: '必须是 {min} 到 {max} 之间的整数',
    vi: 'phải là số nguyên từ {min} đến {max}',
    th: 'ต้องเป็นจำนวนเต็มตั้งแต่ {min} ถึง {max}',
    es: 'debe ser un número entero de {min} a {max}',
  },
  csvBoolean: {
    en: 'must be true or false',
    zh: '必须是 true 或 false',
    vi: 'phải là true hoặc false',
    th: 'ต้องเป็น true หรือ false',
    es: 'debe ser true o false',
  },
  csvId: {
    en: '1 to 32 letters, digits, - or _',
    zh: '1 到 32 个字母、数字、- 或 _',
    vi: '1 đến 32 chữ cái, chữ số, - hoặc _',
    th: 'ตัวอักษร ตัวเลข - หรือ _ 1 ถึง 32 ตัว',
    es: 'de 1 a 32 letras, dígitos, - o _',
  },
  csvDuplicateId: {
    en: 'channel {id} appears twice',
    zh: '渠道 {id} 重复出现',
    vi: 'kênh {id} xuất hiện hai lần',
    th: 'ช่องทาง {id} ซ้ำกัน',
    es: 'el canal {id} aparece dos veces',
  },
  csvName: {
    en: '1 to 100 characters',
    zh: '1 到 100 个字符',
    vi: '1 đến 100 ký tự',
    th: '1 ถึง 100 ตัวอักษร',
    es: 'de 1 a 100 caracteres',
  },
  csvCountry: {
    en: 'a two-letter ISO 3166-1 country code',
    zh: '两个字母的 ISO 3166-1 国家代码',
    vi: 'mã quốc gia ISO 3166-1 gồm hai chữ cái',
    th: 'รหัสประเทศ ISO 3166-1 สองตัวอักษร',
    es: 'un código de país ISO 3166-1 de dos letras',
  },
} as const satisfies Record<string, Translations>;
