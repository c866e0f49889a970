import type { Translations } from './i18n.js';

/** The reasons catalogue's words of the warehouse (modules/warehouse: W3, receipts, inspection, storage). */
export const WAREHOUSE_REASONS = {
  // -- What was not found (40401 `what`); `id` is data -----------------------------------------
  warehouseItem: {
    en: 'warehouse item {id}',
    zh: '仓库货品 {id}',
    vi: 'hàng trong kho {id}',
    th: 'สินค้าในคลัง {id}',
    es: 'artículo de almacén {id}',
  },
  warehouseException: {
    en: 'warehouse exception {id}',
    zh: '仓库异常 {id}',
    vi: 'ngoại lệ kho {id}',
    th: 'รายการผิดปกติของคลัง {id}',
    es: 'incidencia de almacén {id}',
  },

  // -- Invalid parameters (40001 `reason`) -----------------------------------------------------------
  warehouseW3OrderRef: {
    en: 'give orderId or tmallOrderId: the order the goods belong to',
    zh: '请提供 orderId 或 tmallOrderId：货品所属的订单',
    vi: 'hãy cung cấp orderId hoặc tmallOrderId: đơn hàng của hàng hóa',
    th: 'โปรดระบุ orderId หรือ tmallOrderId: คำสั่งซื้อของสินค้า',
    es: 'indique orderId o tmallOrderId: el pedido al que pertenecen los artículos',
  },
  warehouseW3NotALine: {
    en: 'item {itemId} (SKU {skuId}) is not a line of order {orderId}',
    zh: '商品 {itemId}（SKU {skuId}）不是订单 {orderId} 的订单行',
    vi: 'sản phẩm {itemId} (SKU {skuId}) không phải là một dòng của đơn hàng {orderId}',
    th: 'สินค้า {itemId} (SKU {skuId}) ไม่ใช่รายการของคำสั่งซื้อ {orderId}',
    es: 'el artículo {itemId} (SKU {skuId}) no es una línea del pedido {orderId}',
  },
  warehouseW3NoTracking: {
    en: 'needs at least one domestic tracking number',
    zh: '至少需要一个国内物流单号',
    vi: 'cần ít nhất một mã vận đơn nội địa',
    th: 'ต้องมีหมายเลขพัสดุในประเทศอย่างน้อยหนึ่งหมายเลข',
    es: 'necesita al menos un número de seguimiento nacional',
  },
  warehouseTrackingNo: {
    en: 'a tracking number: 4 to 64 letters, digits or -',
    zh: '物流单号：4 到 64 个字母、数字或 -',
    vi: 'mã vận đơn: 4 đến 64 chữ cái, chữ số hoặc -',
    th: 'หมายเลขพัสดุ: ตัวอักษร ตัวเลข หรือ - 4 ถึง 64 ตัว',
    es: 'un número de seguimiento: de 4 a 64 letras, dígitos o -',
  },
  warehouseSizeWhole: {
    en: 'give lengthCm, widthCm and heightCm together',
    zh: '请同时提供 lengthCm、widthCm 和 heightCm',
    vi: 'hãy cung cấp đồng thời lengthCm, widthCm và heightCm',
    th: 'โปรดระบุ lengthCm, widthCm และ heightCm พร้อมกัน',
    es: 'indique lengthCm, widthCm y heightCm juntos',
  },
  warehouseShortNotOk: {
    en: '{received} of {quantity} units received: the condition is short, not ok',
    zh: '收到 {quantity} 件中的 {received} 件：状况应为 short（短少），而不是 ok',
    vi: 'đã nhận {received} trên {quantity} đơn vị: tình trạng là short (thiếu), không phải ok',
    th: 'ได้รับ {received} จาก {quantity} ชิ้น: สภาพต้องเป็น short (ขาด) ไม่ใช่ ok',
    es: 'se recibieron {received} de {quantity} unidades: la condición es short (faltan), no ok',
  },
  warehouseRefundNotOk: {
    en: 'goods found ok are not refunded',
    zh: '状况正常的货品不能退款',
    vi: 'hàng ở tình trạng tốt không được hoàn tiền',
    th: 'สินค้าที่สภาพปกติไม่สามารถขอคืนเงินได้',
    es: 'los artículos en buen estado no se reembolsan',
  },
  warehouseRefundNoLine: {
    en: 'only a line of a Ponte order can be refunded (these goods were declared by W3)',
    zh: '只有 Ponte 订单的订单行可以退款（这些货品是通过 W3 申报的）',
    vi: 'chỉ dòng của đơn hàng Ponte mới được hoàn tiền (hàng này được khai báo qua W3)',
    th: 'ขอคืนเงินได้เฉพาะรายการของคำสั่งซื้อ Ponte (สินค้านี้แจ้งผ่าน W3)',
    es: 'solo se puede reembolsar una línea de un pedido de Ponte (estos artículos se declararon por W3)',
  },
  warehouseRefundNoReason: {
    en: 'the marketplace offers no refund reason for this line: give refund.reasonId',
    zh: '平台没有为该订单行提供退款原因：请提供 refund.reasonId',
    vi: 'sàn không đưa ra lý do hoàn tiền nào cho dòng này: hãy cung cấp refund.reasonId',
    th: 'แพลตฟอร์มไม่มีเหตุผลการคืนเงินสำหรับรายการนี้: โปรดระบุ refund.reasonId',
    es: 'el marketplace no ofrece ningún motivo de reembolso para esta línea: indique refund.reasonId',
  },
  warehouseMatchItems: {
    en: 'name the expected items the parcel holds (action match)',
    zh: '请列出包裹中所含的待收货品（action 为 match 时）',
    vi: 'hãy liệt kê các hàng đang chờ có trong kiện (action match)',
    th: 'โปรดระบุสินค้าที่รอรับซึ่งอยู่ในพัสดุ (action match)',
    es: 'indique los artículos esperados que contiene el paquete (action match)',
  },
  warehouseItemUnknown: {
    en: 'no warehouse item {id}',
    zh: '没有仓库货品 {id}',
    vi: 'không có hàng trong kho {id}',
    th: 'ไม่มีสินค้าในคลัง {id}',
    es: 'no existe el artículo de almacén {id}',
  },

  // -- State conflicts (40901) -------------------------------------------------------------------
  warehouseItemState: {
    en: 'warehouse item {id} is {status} and cannot become {to}',
    zh: '仓库货品 {id} 的状态为 {status}，不能变为 {to}',
    vi: 'hàng trong kho {id} đang ở trạng thái {status}, không thể chuyển sang {to}',
    th: 'สินค้าในคลัง {id} อยู่ในสถานะ {status} และเปลี่ยนเป็น {to} ไม่ได้',
    es: 'el artículo de almacén {id} está en {status} y no puede pasar a {to}',
  },
  warehouseExceptionResolved: {
    en: 'warehouse exception {id} is already {status}',
    zh: '仓库异常 {id} 已是 {status} 状态',
    vi: 'ngoại lệ kho {id} đã ở trạng thái {status}',
    th: 'รายการผิดปกติของคลัง {id} อยู่ในสถานะ {status} แล้ว',
    es: 'la incidencia de almacén {id} ya está en {status}',
  },
} as const satisfies Record<string, Translations>;
