import { format, type Language, type Translations } from './i18n.js';
import { FREIGHT_REASONS } from './reasons-freight.js';
import { WAREHOUSE_REASONS } from './reasons-warehouse.js';
import { type ValidationIssue, validationReason } from './validation-reasons.js';

/**
 * The words that fill an error message's params (`reason` of 40001 and 40901, `what` of 40401), in
 * every language, so that a caller reads one sentence in its own language. Throw sites name an id of
 * this catalogue with its own `{placeholders}` (`invalidParameter('sort', 'sortUnknownKey', { key })`);
 * the envelope renders it in the request's language. Text from elsewhere (a marketplace's refusal, a
 * parser's or a fetch's error) goes inside a translated frame as `{detail}`. English is the wording the
 * API always had: clients may match on it.
 */
export const REASONS = {
  // -- Any input ------------------------------------------------------------------------------
  required: { en: 'required', zh: '必填', vi: 'bắt buộc', th: 'จำเป็นต้องระบุ', es: 'obligatorio' },
  unknownField: {
    en: 'unknown field',
    zh: '未知字段',
    vi: 'trường không xác định',
    th: 'ไม่รู้จักฟิลด์นี้',
    es: 'campo desconocido',
  },
  oneOf: {
    en: 'must be one of {values}',
    zh: '必须是以下之一：{values}',
    vi: 'phải là một trong các giá trị: {values}',
    th: 'ต้องเป็นหนึ่งใน {values}',
    es: 'debe ser uno de {values}',
  },
  invalid: { en: 'invalid', zh: '无效', vi: 'không hợp lệ', th: 'ไม่ถูกต้อง', es: 'no válido' },
  notFinite: {
    en: 'must be a finite number',
    zh: '必须是有限的数字',
    vi: 'phải là một số hữu hạn',
    th: 'ต้องเป็นตัวเลขที่มีค่าจำกัด',
    es: 'debe ser un número finito',
  },
  nulCharacter: {
    en: 'must not contain the NUL character (U+0000)',
    zh: '不得包含 NUL 字符（U+0000）',
    vi: 'không được chứa ký tự NUL (U+0000)',
    th: 'ต้องไม่มีอักขระ NUL (U+0000)',
    es: 'no debe contener el carácter NUL (U+0000)',
  },
  emptyBody: {
    en: 'empty; send a JSON value',
    zh: '为空；请发送一个 JSON 值',
    vi: 'trống; hãy gửi một giá trị JSON',
    th: 'ว่างเปล่า โปรดส่งค่า JSON',
    es: 'vacío; envíe un valor JSON',
  },
  contentLengthMismatch: {
    en: 'does not match the body',
    zh: '与请求体不符',
    vi: 'không khớp với nội dung yêu cầu',
    th: 'ไม่ตรงกับเนื้อหาคำขอ',
    es: 'no coincide con el cuerpo',
  },
  malformedRequest: {
    en: 'malformed request ({detail})',
    zh: '请求格式错误（{detail}）',
    vi: 'yêu cầu sai định dạng ({detail})',
    th: 'คำขอมีรูปแบบไม่ถูกต้อง ({detail})',
    es: 'solicitud mal formada ({detail})',
  },
  jsonTooDeep: {
    en: 'JSON nests deeper than {max} levels',
    zh: 'JSON 嵌套超过 {max} 层',
    vi: 'JSON lồng nhau sâu hơn {max} cấp',
    th: 'JSON ซ้อนกันลึกเกิน {max} ระดับ',
    es: 'el JSON se anida a más de {max} niveles',
  },
  forbiddenKey: {
    en: 'forbidden key __proto__, constructor or prototype',
    zh: '禁止使用键 __proto__、constructor 或 prototype',
    vi: 'khóa bị cấm: __proto__, constructor hoặc prototype',
    th: 'ห้ามใช้คีย์ __proto__, constructor หรือ prototype',
    es: 'clave prohibida: __proto__, constructor o prototype',
  },
  malformedJson: {
    en: 'malformed JSON ({detail})',
    zh: 'JSON 格式错误（{detail}）',
    vi: 'JSON sai định dạng ({detail})',
    th: 'JSON มีรูปแบบไม่ถูกต้อง ({detail})',
    es: 'JSON mal formado ({detail})',
  },
  notUtf8: {
    en: 'not valid UTF-8',
    zh: '不是有效的 UTF-8',
    vi: 'không phải UTF-8 hợp lệ',
    th: 'ไม่ใช่ UTF-8 ที่ถูกต้อง',
    es: 'no es UTF-8 válido',
  },
  atMostChars: {
    en: 'at most {max} characters',
    zh: '最多 {max} 个字符',
    vi: 'tối đa {max} ký tự',
    th: 'ไม่เกิน {max} ตัวอักษร',
    es: 'como máximo {max} caracteres',
  },
  rangeOrder: {
    en: 'expected [low, high] with low ≤ high',
    zh: '应为 [low, high] 且 low ≤ high',
    vi: 'cần [low, high] với low ≤ high',
    th: 'ต้องเป็น [low, high] โดย low ≤ high',
    es: 'se esperaba [low, high] con low ≤ high',
  },

  // -- System parameters and headers ----------------------------------------------------------
  nonceFormat: {
    en: '8 to 64 of [A-Za-z0-9_-]',
    zh: '须为 8 到 64 个 [A-Za-z0-9_-] 字符',
    vi: 'từ 8 đến 64 ký tự [A-Za-z0-9_-]',
    th: 'ต้องเป็นอักขระ [A-Za-z0-9_-] 8 ถึง 64 ตัว',
    es: 'de 8 a 64 caracteres de [A-Za-z0-9_-]',
  },
  epochMs: {
    en: 'epoch milliseconds',
    zh: '须为 Unix 毫秒时间戳',
    vi: 'phải là số mili giây tính từ epoch',
    th: 'ต้องเป็นเวลาแบบมิลลิวินาทีนับจาก epoch',
    es: 'en milisegundos desde epoch',
  },
  idempotencyKeyFormat: {
    en: '1 to 255 printable ASCII characters',
    zh: '须为 1 到 255 个可打印 ASCII 字符',
    vi: 'từ 1 đến 255 ký tự ASCII in được',
    th: 'ต้องเป็นอักขระ ASCII ที่พิมพ์ได้ 1 ถึง 255 ตัว',
    es: 'de 1 a 255 caracteres ASCII imprimibles',
  },

  // -- Goods searches -------------------------------------------------------------------------
  priceEndBelowStart: {
    en: 'must not be below priceStart',
    zh: '不能低于 priceStart',
    vi: 'không được thấp hơn priceStart',
    th: 'ต้องไม่ต่ำกว่า priceStart',
    es: 'no debe ser inferior a priceStart',
  },
  sortNotJson: {
    en: 'not JSON; send for example {"price":"asc"}',
    zh: '不是 JSON；请发送例如 {"price":"asc"}',
    vi: 'không phải JSON; hãy gửi ví dụ {"price":"asc"}',
    th: 'ไม่ใช่ JSON โปรดส่ง เช่น {"price":"asc"}',
    es: 'no es JSON; envíe por ejemplo {"price":"asc"}',
  },
  sortNotObject: {
    en: 'must be a JSON object such as {"price":"asc"}',
    zh: '必须是 JSON 对象，例如 {"price":"asc"}',
    vi: 'phải là một đối tượng JSON, ví dụ {"price":"asc"}',
    th: 'ต้องเป็นออบเจ็กต์ JSON เช่น {"price":"asc"}',
    es: 'debe ser un objeto JSON como {"price":"asc"}',
  },
  sortOneKey: {
    en: 'give one key: price, or sales',
    zh: '只能给出一个键：price 或 sales',
    vi: 'chỉ cho một khóa: price hoặc sales',
    th: 'ระบุเพียงคีย์เดียว: price หรือ sales',
    es: 'indique una sola clave: price o sales',
  },
  sortUnknownKey: {
    en: 'unknown key {key}; sort by price, or sales',
    zh: '未知的键 {key}；请按 price 或 sales 排序',
    vi: 'khóa {key} không xác định; hãy sắp xếp theo price hoặc sales',
    th: 'ไม่รู้จักคีย์ {key} โปรดเรียงตาม price หรือ sales',
    es: 'clave desconocida {key}; ordene por price o sales',
  },
  sortTakesOne: {
    en: '{key} takes {direction}',
    zh: '{key} 只接受 {direction}',
    vi: '{key} chỉ nhận {direction}',
    th: '{key} รับได้เฉพาะ {direction}',
    es: '{key} solo admite {direction}',
  },
  sortTakesEither: {
    en: '{key} takes {first} or {second}',
    zh: '{key} 接受 {first} 或 {second}',
    vi: '{key} nhận {first} hoặc {second}',
    th: '{key} รับได้ {first} หรือ {second}',
    es: '{key} admite {first} o {second}',
  },
  unknownFilterFlag: {
    en: 'unknown flag {flag}; known: shipInToday, ksCiphertext',
    zh: '未知的标志 {flag}；可用：shipInToday、ksCiphertext',
    vi: 'cờ {flag} không xác định; các cờ hợp lệ: shipInToday, ksCiphertext',
    th: 'ไม่รู้จักแฟล็ก {flag} แฟล็กที่รองรับ: shipInToday, ksCiphertext',
    es: 'indicador desconocido {flag}; conocidos: shipInToday, ksCiphertext',
  },
  atMostIds: {
    en: 'at most {max} ids',
    zh: '最多 {max} 个 ID',
    vi: 'tối đa {max} mã',
    th: 'ไม่เกิน {max} รหัส',
    es: 'como máximo {max} ids',
  },
  queryTooManyDigits: {
    en: 'an item id or mpId has at most 20 digits',
    zh: '商品 ID 或 mpId 最多 20 位数字',
    vi: 'mã sản phẩm hoặc mpId có tối đa 20 chữ số',
    th: 'รหัสสินค้าหรือ mpId มีได้ไม่เกิน 20 หลัก',
    es: 'un id de artículo o un mpId tiene como máximo 20 dígitos',
  },
  shortLinkUnsupported: {
    en: 'short links (m.tb.cn) are not supported; send the item page URL (item.taobao.com/item.htm?id=…) or the item id',
    zh: '不支持短链接（m.tb.cn）；请发送商品页 URL（item.taobao.com/item.htm?id=…）或商品 ID',
    vi: 'không hỗ trợ liên kết rút gọn (m.tb.cn); hãy gửi URL trang sản phẩm (item.taobao.com/item.htm?id=…) hoặc mã sản phẩm',
    th: 'ไม่รองรับลิงก์แบบสั้น (m.tb.cn) โปรดส่ง URL หน้าสินค้า (item.taobao.com/item.htm?id=…) หรือรหัสสินค้า',
    es: 'no se admiten enlaces cortos (m.tb.cn); envíe la URL de la página del artículo (item.taobao.com/item.htm?id=…) o su id',
  },
  notTaobaoLink: {
    en: 'the link is not a Taobao or Tmall item page',
    zh: '该链接不是淘宝或天猫的商品页',
    vi: 'liên kết không phải trang sản phẩm Taobao hoặc Tmall',
    th: 'ลิงก์นี้ไม่ใช่หน้าสินค้าของ Taobao หรือ Tmall',
    es: 'el enlace no es una página de artículo de Taobao o Tmall',
  },
  noTaobaoItem: {
    en: 'no Taobao item URL, item id or mpId found',
    zh: '未找到淘宝商品 URL、商品 ID 或 mpId',
    vi: 'không tìm thấy URL sản phẩm Taobao, mã sản phẩm hoặc mpId',
    th: 'ไม่พบ URL สินค้า Taobao รหัสสินค้า หรือ mpId',
    es: 'no se encontró una URL de artículo de Taobao, un id de artículo ni un mpId',
  },

  // -- Pictures -------------------------------------------------------------------------------
  pictureMissing: {
    en: 'give imageBase64 or imageAddress',
    zh: '请提供 imageBase64 或 imageAddress',
    vi: 'hãy cung cấp imageBase64 hoặc imageAddress',
    th: 'โปรดระบุ imageBase64 หรือ imageAddress',
    es: 'indique imageBase64 o imageAddress',
  },
  notBase64: { en: 'not base64', zh: '不是 base64', vi: 'không phải base64', th: 'ไม่ใช่ base64', es: 'no es base64' },
  pictureEmpty: {
    en: 'the picture is empty',
    zh: '图片为空',
    vi: 'ảnh trống',
    th: 'รูปภาพว่างเปล่า',
    es: 'la imagen está vacía',
  },
  pictureTooLarge: {
    en: 'the picture is larger than {max} bytes',
    zh: '图片超过 {max} 字节',
    vi: 'ảnh lớn hơn {max} byte',
    th: 'รูปภาพมีขนาดเกิน {max} ไบต์',
    es: 'la imagen supera los {max} bytes',
  },
  pictureFormat: {
    en: 'not a JPEG, PNG, WebP, GIF or BMP picture',
    zh: '不是 JPEG、PNG、WebP、GIF 或 BMP 图片',
    vi: 'không phải ảnh JPEG, PNG, WebP, GIF hoặc BMP',
    th: 'ไม่ใช่รูปภาพ JPEG, PNG, WebP, GIF หรือ BMP',
    es: 'no es una imagen JPEG, PNG, WebP, GIF o BMP',
  },
  bmpHeader: {
    en: 'unsupported BMP header',
    zh: '不支持的 BMP 文件头',
    vi: 'phần đầu tệp BMP không được hỗ trợ',
    th: 'ไม่รองรับส่วนหัว BMP นี้',
    es: 'cabecera BMP no admitida',
  },
  bmpSize: {
    en: 'BMP size out of range',
    zh: 'BMP 尺寸超出范围',
    vi: 'kích thước BMP nằm ngoài phạm vi',
    th: 'ขนาด BMP อยู่นอกช่วงที่รองรับ',
    es: 'tamaño de BMP fuera de rango',
  },
  bmpCompression: {
    en: 'only uncompressed 24- and 32-bit BMP pictures are supported',
    zh: '仅支持未压缩的 24 位和 32 位 BMP 图片',
    vi: 'chỉ hỗ trợ ảnh BMP 24 và 32 bit không nén',
    th: 'รองรับเฉพาะรูปภาพ BMP 24 และ 32 บิตที่ไม่บีบอัด',
    es: 'solo se admiten imágenes BMP sin comprimir de 24 y 32 bits',
  },
  bmpTruncated: {
    en: 'truncated BMP',
    zh: 'BMP 文件不完整',
    vi: 'tệp BMP bị cắt cụt',
    th: 'ไฟล์ BMP ไม่สมบูรณ์',
    es: 'BMP truncado',
  },
  pictureUnreadable: {
    en: 'the picture cannot be read ({detail})',
    zh: '无法读取图片（{detail}）',
    vi: 'không đọc được ảnh ({detail})',
    th: 'ไม่สามารถอ่านรูปภาพได้ ({detail})',
    es: 'no se puede leer la imagen ({detail})',
  },
  pictureFetchRefused: {
    en: 'the picture could not be fetched: {detail}',
    zh: '无法获取图片：{detail}',
    vi: 'không tải được ảnh: {detail}',
    th: 'ไม่สามารถดึงรูปภาพได้: {detail}',
    es: 'no se pudo obtener la imagen: {detail}',
  },
  marketRefusedPicture: {
    en: 'the marketplace cannot read this picture: {detail}',
    zh: '上游平台无法读取该图片：{detail}',
    vi: 'sàn thương mại không đọc được ảnh này: {detail}',
    th: 'ตลาดไม่สามารถอ่านรูปภาพนี้ได้: {detail}',
    es: 'el mercado no puede leer esta imagen: {detail}',
  },

  // -- Evidence pictures (platform/files, refunds' evidence) -------------------------------------
  evidencePictureFormat: {
    en: 'not a JPEG, GIF, PNG or BMP picture',
    zh: '不是 JPEG、GIF、PNG 或 BMP 图片',
    vi: 'không phải ảnh JPEG, GIF, PNG hoặc BMP',
    th: 'ไม่ใช่รูปภาพ JPEG, GIF, PNG หรือ BMP',
    es: 'no es una imagen JPEG, GIF, PNG o BMP',
  },
  picturePixels: {
    en: 'the picture has more than {max} pixels',
    zh: '图片像素超过 {max}',
    vi: 'ảnh có hơn {max} điểm ảnh',
    th: 'รูปภาพมีจำนวนพิกเซลเกิน {max}',
    es: 'la imagen tiene más de {max} píxeles',
  },
  atMostPictures: {
    en: 'at most {max} pictures',
    zh: '最多 {max} 张图片',
    vi: 'tối đa {max} ảnh',
    th: 'ได้สูงสุด {max} รูป',
    es: 'como máximo {max} imágenes',
  },
  evidenceReference: {
    en: 'not a picture path answered by /alibaba/refund/voucher/upload, nor a data:image/...;base64, picture',
    zh: '既不是 /alibaba/refund/voucher/upload 返回的图片路径，也不是 data:image/...;base64, 图片',
    vi: 'không phải đường dẫn ảnh do /alibaba/refund/voucher/upload trả về, cũng không phải ảnh data:image/...;base64,',
    th: 'ไม่ใช่เส้นทางรูปภาพที่ /alibaba/refund/voucher/upload ส่งกลับ และไม่ใช่รูปภาพ data:image/...;base64,',
    es: 'no es una ruta de imagen devuelta por /alibaba/refund/voucher/upload ni una imagen data:image/...;base64,',
  },
  evidenceUnknown: {
    en: 'no picture you uploaded is stored at this path',
    zh: '此路径下没有您上传的图片',
    vi: 'không có ảnh nào bạn đã tải lên ở đường dẫn này',
    th: 'ไม่มีรูปภาพที่คุณอัปโหลดไว้ที่เส้นทางนี้',
    es: 'no hay ninguna imagen subida por usted en esta ruta',
  },
  imageBase64OrData: {
    en: 'give exactly one of imageBase64 and imageData',
    zh: '请在 imageBase64 和 imageData 中提供且仅提供一个',
    vi: 'hãy cung cấp đúng một trong hai trường imageBase64 và imageData',
    th: 'โปรดระบุ imageBase64 หรือ imageData เพียงอย่างใดอย่างหนึ่ง',
    es: 'indique exactamente uno de imageBase64 e imageData',
  },

  // -- A marketplace's refusals (upstream-errors.ts); `detail` is its own text --------------------
  marketRefusedValue: {
    en: 'the marketplace refused this value: {detail}',
    zh: '上游平台拒绝了该值：{detail}',
    vi: 'sàn thương mại từ chối giá trị này: {detail}',
    th: 'ตลาดปฏิเสธค่านี้: {detail}',
    es: 'el mercado rechazó este valor: {detail}',
  },
  marketHasNo: {
    en: 'the marketplace has no {detail}',
    zh: '上游平台中没有 {detail}',
    vi: 'sàn thương mại không có {detail}',
    th: 'ตลาดไม่มี {detail}',
    es: 'el mercado no tiene {detail}',
  },
  marketRefused: {
    en: 'the marketplace refused: {detail}',
    zh: '上游平台拒绝：{detail}',
    vi: 'sàn thương mại từ chối: {detail}',
    th: 'ตลาดปฏิเสธ: {detail}',
    es: 'el mercado lo rechazó: {detail}',
  },

  // -- Callbacks (modules/messages, docs/adr/0013) ----------------------------------------------
  callbackHttps: {
    en: 'must be an https URL',
    zh: '必须是 https 地址',
    vi: 'phải là địa chỉ https',
    th: 'ต้องเป็น URL แบบ https',
    es: 'debe ser una URL https',
  },
  callbackUnreachable: {
    en: 'the verification POST failed: {detail}',
    zh: '验证请求失败：{detail}',
    vi: 'yêu cầu xác minh thất bại: {detail}',
    th: 'คำขอยืนยันล้มเหลว: {detail}',
    es: 'la petición de verificación falló: {detail}',
  },
  callbackAnswered: {
    en: 'the verification POST was answered with HTTP {status}, not 2xx',
    zh: '验证请求返回 HTTP {status}，而不是 2xx',
    vi: 'yêu cầu xác minh nhận về HTTP {status}, không phải 2xx',
    th: 'คำขอยืนยันได้รับคำตอบ HTTP {status} ไม่ใช่ 2xx',
    es: 'la petición de verificación respondió HTTP {status}, no 2xx',
  },
  callbackChanged: {
    en: 'the callback settings changed meanwhile; read them and retry',
    zh: '回调设置已被同时修改；请重新读取后重试',
    vi: 'cài đặt callback vừa bị thay đổi; hãy đọc lại rồi thử lại',
    th: 'การตั้งค่า callback ถูกเปลี่ยนระหว่างนี้ โปรดอ่านใหม่แล้วลองอีกครั้ง',
    es: 'la configuración de callbacks cambió entretanto; léala de nuevo y reintente',
  },
  callbackSettings: {
    en: 'callback settings (save a callback URL first)',
    zh: '回调设置（请先保存回调地址）',
    vi: 'cài đặt callback (hãy lưu địa chỉ callback trước)',
    th: 'การตั้งค่า callback (โปรดบันทึก URL ของ callback ก่อน)',
    es: 'configuración de callbacks (guarde primero una URL de callback)',
  },
  callbackDisabled: {
    en: 'there is no enabled callback URL: save one (or have the operator re-enable it) first',
    zh: '没有已启用的回调地址：请先保存一个（或请运营方重新启用）',
    vi: 'không có địa chỉ callback nào đang bật: hãy lưu một địa chỉ (hoặc nhờ nhà vận hành bật lại) trước',
    th: 'ไม่มี URL ของ callback ที่เปิดใช้งานอยู่ โปรดบันทึก URL ก่อน (หรือให้ผู้ดูแลเปิดใช้งานอีกครั้ง)',
    es: 'no hay una URL de callback habilitada: guarde una (o pida al operador que la vuelva a habilitar) primero',
  },
  callbackEnabled: {
    en: 'the callback URL is already enabled',
    zh: '回调地址已处于启用状态',
    vi: 'địa chỉ callback đã được bật',
    th: 'URL ของ callback เปิดใช้งานอยู่แล้ว',
    es: 'la URL de callback ya está habilitada',
  },
  redeliverOneForm: {
    en: 'give either messageId, or startTime and endTime (with optional onlyFailed)',
    zh: '请提供 messageId，或者 startTime 和 endTime（可选 onlyFailed），二者只能选其一',
    vi: 'hãy cung cấp hoặc messageId, hoặc startTime và endTime (có thể kèm onlyFailed)',
    th: 'โปรดระบุ messageId หรือ startTime และ endTime (และ onlyFailed ได้) อย่างใดอย่างหนึ่ง',
    es: 'indique messageId, o bien startTime y endTime (con onlyFailed opcional)',
  },
  requiredWith: {
    en: 'required with {other}',
    zh: '提供 {other} 时必填',
    vi: 'bắt buộc khi có {other}',
    th: 'จำเป็นต้องระบุเมื่อมี {other}',
    es: 'obligatorio junto con {other}',
  },
  afterField: {
    en: 'must be after {other}',
    zh: '必须晚于 {other}',
    vi: 'phải sau {other}',
    th: 'ต้องอยู่หลัง {other}',
    es: 'debe ser posterior a {other}',
  },
  rangeAtMostDays: {
    en: 'the range covers at most {days} days',
    zh: '时间范围最多 {days} 天',
    vi: 'khoảng thời gian tối đa {days} ngày',
    th: 'ช่วงเวลาต้องไม่เกิน {days} วัน',
    es: 'el intervalo abarca como máximo {days} días',
  },
  withinRetention: {
    en: 'must be within the last {days} days (messages are kept that long)',
    zh: '必须在最近 {days} 天内（消息只保留这么久）',
    vi: 'phải nằm trong {days} ngày gần nhất (tin nhắn chỉ được lưu chừng ấy thời gian)',
    th: 'ต้องอยู่ภายใน {days} วันล่าสุด (ข้อความถูกเก็บไว้เพียงเท่านั้น)',
    es: 'debe estar dentro de los últimos {days} días (los mensajes se guardan ese tiempo)',
  },
  cursorFormat: {
    en: 'not a cursor of this API; pass the cursor of a previous answer',
    zh: '不是本 API 的游标；请传入上一次应答中的 cursor',
    vi: 'không phải con trỏ của API này; hãy truyền cursor của lần trả lời trước',
    th: 'ไม่ใช่เคอร์เซอร์ของ API นี้ โปรดส่ง cursor จากคำตอบก่อนหน้า',
    es: 'no es un cursor de esta API; pase el cursor de una respuesta anterior',
  },
  message: { en: 'message {id}', zh: '消息 {id}', vi: 'tin nhắn {id}', th: 'ข้อความ {id}', es: 'mensaje {id}' },
  callbackUrlOf: {
    en: 'callback URL of developer {id}',
    zh: '开发者 {id} 的回调地址',
    vi: 'địa chỉ callback của nhà phát triển {id}',
    th: 'URL ของ callback ของนักพัฒนา {id}',
    es: 'URL de callback del desarrollador {id}',
  },
  // -- What was not found (40401 `what`); `id` is data -----------------------------------------
  offer: { en: 'offer {id}', zh: '商品 {id}', vi: 'sản phẩm {id}', th: 'สินค้า {id}', es: 'oferta {id}' },
  item: { en: 'item {id}', zh: '商品 {id}', vi: 'sản phẩm {id}', th: 'สินค้า {id}', es: 'artículo {id}' },
  itemOrMpId: {
    en: 'item or mpId {id}',
    zh: '商品或 mpId {id}',
    vi: 'sản phẩm hoặc mpId {id}',
    th: 'สินค้าหรือ mpId {id}',
    es: 'artículo o mpId {id}',
  },
  seller: { en: 'seller {id}', zh: '卖家 {id}', vi: 'người bán {id}', th: 'ผู้ขาย {id}', es: 'vendedor {id}' },
  category: { en: 'category {id}', zh: '类目 {id}', vi: 'danh mục {id}', th: 'หมวดหมู่ {id}', es: 'categoría {id}' },
  developer: {
    en: 'developer {id}',
    zh: '开发者 {id}',
    vi: 'nhà phát triển {id}',
    th: 'นักพัฒนา {id}',
    es: 'desarrollador {id}',
  },
  accessKey: {
    en: 'access key {id}',
    zh: '访问密钥 {id}',
    vi: 'khóa truy cập {id}',
    th: 'access key {id}',
    es: 'clave de acceso {id}',
  },
  subAccount: {
    en: 'sub-account {id}',
    zh: '子账号 {id}',
    vi: 'tài khoản phụ {id}',
    th: 'บัญชีย่อย {id}',
    es: 'subcuenta {id}',
  },

  // -- Accounts' state conflicts (40901) -------------------------------------------------------
  keyRevoked: {
    en: 'the key is revoked',
    zh: '该密钥已被吊销',
    vi: 'khóa đã bị thu hồi',
    th: 'คีย์นี้ถูกเพิกถอนแล้ว',
    es: 'la clave está revocada',
  },
  outMemberIdTaken: {
    en: 'outMemberId {outMemberId} is already used by another sub-account',
    zh: 'outMemberId {outMemberId} 已被另一个子账号使用',
    vi: 'outMemberId {outMemberId} đã được một tài khoản phụ khác sử dụng',
    th: 'outMemberId {outMemberId} ถูกใช้โดยบัญชีย่อยอื่นแล้ว',
    es: 'el outMemberId {outMemberId} ya lo usa otra subcuenta',
  },
  outMemberIdUsed: {
    en: 'outMemberId {outMemberId} is already used',
    zh: 'outMemberId {outMemberId} 已被使用',
    vi: 'outMemberId {outMemberId} đã được sử dụng',
    th: 'outMemberId {outMemberId} ถูกใช้แล้ว',
    es: 'el outMemberId {outMemberId} ya está en uso',
  },
  mainAccountCannotBeDisabled: {
    en: 'the main account cannot be disabled; disable the developer instead',
    zh: '主账号不能停用；请改为停用开发者',
    vi: 'không thể vô hiệu hóa tài khoản chính; hãy vô hiệu hóa nhà phát triển',
    th: 'ไม่สามารถปิดใช้งานบัญชีหลักได้ โปรดปิดใช้งานนักพัฒนาแทน',
    es: 'la cuenta principal no se puede deshabilitar; deshabilite al desarrollador',
  },

  // -- Payments: balance, ledger, top-ups, payment vouchers ---------------------------------------
  voucherPictureFormat: {
    en: 'not a JPEG, PNG, WebP or GIF picture',
    zh: '不是 JPEG、PNG、WebP 或 GIF 图片',
    vi: 'không phải ảnh JPEG, PNG, WebP hoặc GIF',
    th: 'ไม่ใช่รูปภาพ JPEG, PNG, WebP หรือ GIF',
    es: 'no es una imagen JPEG, PNG, WebP o GIF',
  },
  pictureDimensions: {
    en: 'the picture is larger than {max}×{max} pixels',
    zh: '图片尺寸超过 {max}×{max} 像素',
    vi: 'ảnh lớn hơn {max}×{max} điểm ảnh',
    th: 'รูปภาพมีขนาดเกิน {max}×{max} พิกเซล',
    es: 'la imagen supera los {max}×{max} píxeles',
  },
  amountBelowOrderTotal: {
    en: 'must be at least the order total, {total} fen',
    zh: '不得低于订单总额 {total} 分',
    vi: 'phải ít nhất bằng tổng tiền đơn hàng, {total} xu (fen)',
    th: 'ต้องไม่น้อยกว่ายอดรวมของคำสั่งซื้อ {total} เฟิน',
    es: 'debe ser al menos el total del pedido, {total} fen',
  },
  orderNotAwaitingPayment: {
    en: 'the order is not awaiting payment',
    zh: '该订单不处于待付款状态',
    vi: 'đơn hàng không ở trạng thái chờ thanh toán',
    th: 'คำสั่งซื้อนี้ไม่ได้อยู่ในสถานะรอชำระเงิน',
    es: 'el pedido no está pendiente de pago',
  },
  voucherApproved: {
    en: 'the voucher is already approved',
    zh: '该付款凭证已被批准',
    vi: 'chứng từ thanh toán đã được duyệt',
    th: 'หลักฐานการชำระเงินนี้ได้รับการอนุมัติแล้ว',
    es: 'el comprobante ya está aprobado',
  },
  voucherRejected: {
    en: 'the voucher is already rejected',
    zh: '该付款凭证已被拒绝',
    vi: 'chứng từ thanh toán đã bị từ chối',
    th: 'หลักฐานการชำระเงินนี้ถูกปฏิเสธแล้ว',
    es: 'el comprobante ya está rechazado',
  },
  order: { en: 'order {id}', zh: '订单 {id}', vi: 'đơn hàng {id}', th: 'คำสั่งซื้อ {id}', es: 'pedido {id}' },
  voucher: {
    en: 'payment voucher {id}',
    zh: '付款凭证 {id}',
    vi: 'chứng từ thanh toán {id}',
    th: 'หลักฐานการชำระเงิน {id}',
    es: 'comprobante de pago {id}',
  },

  // -- Addresses (accounts) and carts ---------------------------------------------------------
  phoneFormat: {
    en: '5 to 20 digits, spaces, + or -',
    zh: '须为 5 到 20 个数字、空格、+ 或 -',
    vi: 'từ 5 đến 20 ký tự gồm chữ số, dấu cách, + hoặc -',
    th: 'ต้องเป็นตัวเลข ช่องว่าง + หรือ - จำนวน 5 ถึง 20 ตัว',
    es: 'de 5 a 20 dígitos, espacios, + o -',
  },
  atLeastOneId: {
    en: 'give at least one id',
    zh: '请至少提供一个 ID',
    vi: 'hãy cung cấp ít nhất một mã',
    th: 'โปรดระบุอย่างน้อยหนึ่งรหัส',
    es: 'indique al menos un id',
  },
  cartQuantityMax: {
    en: 'the cart record would hold {quantity}; at most {max}',
    zh: '购物车记录的数量将为 {quantity}；最多 {max}',
    vi: 'bản ghi giỏ hàng sẽ có số lượng {quantity}; tối đa {max}',
    th: 'รายการในรถเข็นจะมีจำนวน {quantity} แต่มีได้ไม่เกิน {max}',
    es: 'el registro del carrito tendría {quantity}; como máximo {max}',
  },
  addressLimit: {
    en: 'a sub-account has at most {max} addresses',
    zh: '每个子账号最多 {max} 个地址',
    vi: 'mỗi tài khoản phụ có tối đa {max} địa chỉ',
    th: 'บัญชีย่อยหนึ่งมีที่อยู่ได้ไม่เกิน {max} รายการ',
    es: 'una subcuenta tiene como máximo {max} direcciones',
  },
  cartLimit: {
    en: 'the cart holds at most {max} records',
    zh: '购物车最多 {max} 条记录',
    vi: 'giỏ hàng chứa tối đa {max} bản ghi',
    th: 'รถเข็นมีรายการได้ไม่เกิน {max} รายการ',
    es: 'el carrito admite como máximo {max} registros',
  },
  address: { en: 'address {id}', zh: '地址 {id}', vi: 'địa chỉ {id}', th: 'ที่อยู่ {id}', es: 'dirección {id}' },
  cartItem: {
    en: 'cart record {id}',
    zh: '购物车记录 {id}',
    vi: 'bản ghi giỏ hàng {id}',
    th: 'รายการในรถเข็น {id}',
    es: 'registro del carrito {id}',
  },
  product: { en: 'product {id}', zh: '商品 {id}', vi: 'sản phẩm {id}', th: 'สินค้า {id}', es: 'producto {id}' },
  sku: { en: 'SKU {id}', zh: 'SKU {id}', vi: 'SKU {id}', th: 'SKU {id}', es: 'SKU {id}' },

  // -- Taobao orders (modules/orders, T7–T15, T26) --------------------------------------------
  receiverOrAddressId: {
    en: 'give receiver or addressId, not both',
    zh: '请提供 receiver 或 addressId，不能同时提供',
    vi: 'hãy cung cấp receiver hoặc addressId, không cung cấp cả hai',
    th: 'โปรดระบุ receiver หรือ addressId อย่างใดอย่างหนึ่ง ไม่ใช่ทั้งสองอย่าง',
    es: 'indique receiver o addressId, no ambos',
  },
  // -- orders (lifecycle, create, pay) ----------------------------------------------------------
  orderTransition: {
    en: 'an order cannot go from {from} to {to}',
    zh: '订单不能从 {from} 变为 {to}',
    vi: 'đơn hàng không thể chuyển từ {from} sang {to}',
    th: 'คำสั่งซื้อไม่สามารถเปลี่ยนจาก {from} เป็น {to}',
    es: 'un pedido no puede pasar de {from} a {to}',
  },
  orderClosed: {
    en: 'the order is closed',
    zh: '订单已关闭',
    vi: 'đơn hàng đã đóng',
    th: 'คำสั่งซื้อถูกปิดแล้ว',
    es: 'el pedido está cerrado',
  },
  cancelOnlyBeforePayment: {
    en: 'an order can be cancelled only before payment',
    zh: '订单只能在付款前取消',
    vi: 'chỉ có thể hủy đơn hàng trước khi thanh toán',
    th: 'ยกเลิกคำสั่งซื้อได้เฉพาะก่อนชำระเงิน',
    es: 'un pedido solo se puede cancelar antes del pago',
  },
  cancelTooEarly: {
    en: '1688 does not allow cancelling an order in its first {seconds} seconds',
    zh: '1688 不允许在下单后 {seconds} 秒内取消订单',
    vi: '1688 không cho phép hủy đơn hàng trong {seconds} giây đầu tiên',
    th: '1688 ไม่อนุญาตให้ยกเลิกคำสั่งซื้อภายใน {seconds} วินาทีแรก',
    es: '1688 no permite cancelar un pedido en sus primeros {seconds} segundos',
  },
  confirmOnlyAfterShipping: {
    en: 'receipt can be confirmed only after the seller shipped',
    zh: '只有卖家发货后才能确认收货',
    vi: 'chỉ có thể xác nhận đã nhận hàng sau khi người bán giao hàng',
    th: 'ยืนยันการรับสินค้าได้หลังจากผู้ขายจัดส่งแล้วเท่านั้น',
    es: 'la recepción solo se puede confirmar después del envío del vendedor',
  },
  warehouseAfterShipping: {
    en: 'the warehouse cannot change once a seller has shipped or the order is closed',
    zh: '卖家发货或订单关闭后不能修改仓库',
    vi: 'không thể đổi kho sau khi người bán đã giao hàng hoặc đơn hàng đã đóng',
    th: 'เปลี่ยนคลังสินค้าไม่ได้เมื่อผู้ขายจัดส่งแล้วหรือคำสั่งซื้อถูกปิด',
    es: 'el almacén no puede cambiar una vez que un vendedor envió o el pedido está cerrado',
  },
  oneSellerPerOrder: {
    en: 'all goods of one order must come from one seller; use the batch create for several sellers',
    zh: '同一订单的商品必须来自同一卖家；多个卖家请使用批量下单',
    vi: 'mọi hàng của một đơn phải từ một người bán; dùng tạo đơn hàng loạt cho nhiều người bán',
    th: 'สินค้าทั้งหมดในคำสั่งซื้อเดียวต้องมาจากผู้ขายรายเดียว ใช้การสร้างแบบกลุ่มสำหรับหลายผู้ขาย',
    es: 'todos los artículos de un pedido deben ser de un vendedor; use la creación por lotes para varios',
  },
  atMostItems: {
    en: 'at most {max} items',
    zh: '最多 {max} 项',
    vi: 'tối đa {max} mục',
    th: 'ได้สูงสุด {max} รายการ',
    es: 'como máximo {max} elementos',
  },
  subPurchaseOrder: {
    en: 'sub purchase order {id}',
    zh: '子采购单 {id}',
    vi: 'đơn mua con {id}',
    th: 'ใบสั่งซื้อย่อย {id}',
    es: 'suborden de compra {id}',
  },

  // -- 1688 orders (modules/orders, A9–A19, A26) ----------------------------------------------
  mobileOrPhone: {
    en: 'required: give mobile or phone',
    zh: '必填：请提供 mobile 或 phone',
    vi: 'bắt buộc: hãy cung cấp mobile hoặc phone',
    th: 'จำเป็นต้องระบุ: โปรดระบุ mobile หรือ phone',
    es: 'obligatorio: indique mobile o phone',
  },
  notBeforeField: {
    en: 'must not be before {other}',
    zh: '不得早于 {other}',
    vi: 'không được trước {other}',
    th: 'ต้องไม่ก่อน {other}',
    es: 'no debe ser anterior a {other}',
  },
  // -- After-sales (modules/refunds, T16–T25, A20–A25) -----------------------------------------
  refund: {
    en: 'refund {id}',
    zh: '退款单 {id}',
    vi: 'yêu cầu hoàn tiền {id}',
    th: 'คำขอคืนเงิน {id}',
    es: 'reembolso {id}',
  },
  orderLine: {
    en: 'order line {id}',
    zh: '订单行 {id}',
    vi: 'dòng đơn hàng {id}',
    th: 'รายการสั่งซื้อ {id}',
    es: 'línea de pedido {id}',
  },
  refundLineNotPaid: {
    en: 'the line is not paid, or its order is closed',
    zh: '该订单行未付款或订单已关闭',
    vi: 'dòng đơn hàng chưa thanh toán hoặc đơn hàng đã đóng',
    th: 'รายการนี้ยังไม่ได้ชำระเงินหรือคำสั่งซื้อปิดแล้ว',
    es: 'la línea no está pagada o su pedido está cerrado',
  },
  refundOpenExists: {
    en: 'the line already has an open refund ({id})',
    zh: '该订单行已有进行中的退款（{id}）',
    vi: 'dòng đơn hàng đã có yêu cầu hoàn tiền đang mở ({id})',
    th: 'รายการนี้มีคำขอคืนเงินที่ยังเปิดอยู่แล้ว ({id})',
    es: 'la línea ya tiene un reembolso abierto ({id})',
  },
  refundNothingLeft: {
    en: 'nothing is left to refund on the line',
    zh: '该订单行已无可退金额',
    vi: 'dòng đơn hàng không còn gì để hoàn tiền',
    th: 'ไม่มียอดเหลือให้คืนเงินในรายการนี้',
    es: 'no queda nada por reembolsar en la línea',
  },
  refundAmountAbove: {
    en: 'must be from 1 to {max} fen (what is left of the line)',
    zh: '必须在 1 到 {max} 分之间（该订单行的剩余金额）',
    vi: 'phải từ 1 đến {max} fen (phần còn lại của dòng đơn hàng)',
    th: 'ต้องอยู่ระหว่าง 1 ถึง {max} เฟิน (ยอดคงเหลือของรายการ)',
    es: 'debe estar entre 1 y {max} fen (lo que queda de la línea)',
  },
  refundState: {
    en: 'a refund in status {status} cannot {action}',
    zh: '状态为 {status} 的退款不能{action}',
    vi: 'yêu cầu hoàn tiền ở trạng thái {status} không thể {action}',
    th: 'คำขอคืนเงินในสถานะ {status} ไม่สามารถ{action}',
    es: 'un reembolso en estado {status} no puede {action}',
  },
  refundNotAllowedHere: {
    en: '{value} is not possible for this line now; possible: {values}',
    zh: '该订单行当前不支持 {value}；可选：{values}',
    vi: '{value} hiện không khả dụng cho dòng này; có thể chọn: {values}',
    th: '{value} ใช้กับรายการนี้ไม่ได้ในตอนนี้ เลือกได้: {values}',
    es: '{value} no es posible para esta línea ahora; posibles: {values}',
  },
  refundOneEntry: {
    en: 'name exactly one sub-order: a refund is about one line (create one refund per sub-order)',
    zh: '只能指定一个子订单：每个退款针对一个订单行（请为每个子订单分别创建退款）',
    vi: 'chỉ định đúng một đơn con: mỗi yêu cầu hoàn tiền cho một dòng (tạo riêng cho từng đơn con)',
    th: 'ระบุคำสั่งซื้อย่อยเพียงหนึ่งรายการ: คำขอคืนเงินหนึ่งรายการต่อหนึ่งรายการสินค้า',
    es: 'indique exactamente un subpedido: un reembolso es de una línea (cree uno por subpedido)',
  },
  refundEntryNotInOrder: {
    en: 'sub-order {id} is not a line of this order',
    zh: '子订单 {id} 不属于该订单',
    vi: 'đơn con {id} không thuộc đơn hàng này',
    th: 'คำสั่งซื้อย่อย {id} ไม่ได้อยู่ในคำสั่งซื้อนี้',
    es: 'el subpedido {id} no es una línea de este pedido',
  },
  refundCountAbove: {
    en: 'count {count} is more than the {quantity} units of the sub-order',
    zh: '数量 {count} 超过子订单的 {quantity} 件',
    vi: 'số lượng {count} vượt quá {quantity} đơn vị của đơn con',
    th: 'จำนวน {count} มากกว่า {quantity} ชิ้นของคำสั่งซื้อย่อย',
    es: 'la cantidad {count} supera las {quantity} unidades del subpedido',
  },
  carrierUnknown: {
    en: 'unknown carrier {code}: take one of /alibaba/logistics/company/list',
    zh: '未知的物流公司 {code}：请使用 /alibaba/logistics/company/list 中的编码',
    vi: 'đơn vị vận chuyển không xác định {code}: chọn trong /alibaba/logistics/company/list',
    th: 'ไม่รู้จักบริษัทขนส่ง {code}: เลือกจาก /alibaba/logistics/company/list',
    es: 'transportista desconocido {code}: elija uno de /alibaba/logistics/company/list',
  },
  refundStatusFilter: {
    en: 'unknown status {value}; known: {values}',
    zh: '未知状态 {value}；可选：{values}',
    vi: 'trạng thái không xác định {value}; các giá trị: {values}',
    th: 'ไม่รู้จักสถานะ {value}; ที่มี: {values}',
    es: 'estado desconocido {value}; conocidos: {values}',
  },
  ...FREIGHT_REASONS,
  ...WAREHOUSE_REASONS,
} as const satisfies Record<string, Translations>;

export type ReasonId = keyof typeof REASONS;

/**
 * Words of an error's params that are rendered in the request's language: an id of the catalogue
 * with its own params, or the first issue Ajv found (see validation-reasons.ts). Plain data, so that
 * logs show it as it is.
 */
export type Phrase = { id: ReasonId; params?: PhraseParams } | { ajv: ValidationIssue };
export type ParamValue = string | number | Phrase;
export type PhraseParams = Record<string, ParamValue>;

export function phrase(id: ReasonId, params?: PhraseParams): Phrase {
  return params ? { id, params } : { id };
}

function render(value: ParamValue, lang: Language): string | number {
  if (typeof value !== 'object') return value;
  if ('ajv' in value) return validationReason(value.ajv, lang);
  return format(REASONS[value.id][lang], renderParams(value.params ?? {}, lang));
}

/** The params with every phrase in `lang`, ready for a message's placeholders. */
export function renderParams(params: PhraseParams, lang: Language): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) out[name] = render(value, lang);
  return out;
}
