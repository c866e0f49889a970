import type { Localized, TraceStatus, TraceStep } from '../../types.js';
import { TRACE_STATUSES } from '../../types.js';
import type { Words } from '../vocabulary.types.js';

interface ShipmentLike {
  tracking_no: string;
  step: number;
  step_times: string;
  route: string;
}

type Place = { province: Words; city: Words };

const TEXT: Record<TraceStatus, Localized> = {
  CONSIGN: {
    zh: '卖家已发货，包裹等待{carrier}揽收',
    en: 'The seller has shipped; the parcel awaits pickup by {carrier}',
    vi: 'Người bán đã gửi hàng, bưu kiện đang chờ {carrier} lấy',
    th: 'ผู้ขายจัดส่งแล้ว รอ {carrier} รับพัสดุ',
    es: 'El vendedor ha enviado el paquete; pendiente de recogida por {carrier}',
  },
  ACCEPT: {
    zh: '【{city}】{carrier}已揽收',
    en: 'Picked up by {carrier} in {city}',
    vi: '{carrier} đã nhận hàng tại {city}',
    th: '{carrier} รับพัสดุแล้วที่ {city}',
    es: 'Recogido por {carrier} en {city}',
  },
  TRANSPORT: {
    zh: '快件已到达【{city}转运中心】，正发往下一站',
    en: 'Arrived at the {city} sorting centre, on its way to the next stop',
    vi: 'Đã đến trung tâm phân loại {city}, đang chuyển tiếp',
    th: 'ถึงศูนย์คัดแยก {city} แล้ว กำลังส่งต่อ',
    es: 'Llegó al centro de clasificación de {city}, en camino',
  },
  DELIVERING: {
    zh: '【{city}】快件正在派送中，派送员将送达仓库',
    en: 'Out for delivery to the warehouse in {city}',
    vi: 'Đang giao đến kho tại {city}',
    th: 'กำลังนำส่งไปยังคลังสินค้าที่ {city}',
    es: 'En reparto al almacén de {city}',
  },
  SIGN: {
    zh: '【{city}】快件已签收，签收人：仓库',
    en: 'Delivered in {city}; signed for by the warehouse',
    vi: 'Đã giao tại {city}, kho đã ký nhận',
    th: 'จัดส่งสำเร็จที่ {city} คลังสินค้าลงชื่อรับแล้ว',
    es: 'Entregado en {city}; firmado por el almacén',
  },
};

/** The consolidation warehouses are in Guangdong; parcels end there. */
const WAREHOUSE: Place = {
  province: { zh: '广东', en: 'Guangdong', vi: 'Quảng Đông', th: 'กวางตุ้ง', es: 'Cantón' },
  city: { zh: '东莞', en: 'Dongguan', vi: 'Đông Hoản', th: 'ตงกวน', es: 'Dongguan' },
};

/** The steps a parcel has reached, each with its place and a description in every language. */
export function traceSteps(s: ShipmentLike, carrier: Localized | null, cities: Place[]): TraceStep[] {
  const times = JSON.parse(s.step_times) as number[];
  const route = JSON.parse(s.route) as { from: number; hub: number };
  const from = cities[route.from] ?? WAREHOUSE;
  const hub = cities[route.hub] ?? WAREHOUSE;
  const steps: TraceStep[] = [];
  for (let i = 0; i <= s.step && i < TRACE_STATUSES.length; i++) {
    const status = TRACE_STATUSES[i] as TraceStatus;
    const place = i <= 1 ? from : i === 2 ? hub : WAREHOUSE;
    const description = {} as Localized;
    for (const lang of ['zh', 'en', 'vi', 'th', 'es'] as const) {
      description[lang] = TEXT[status][lang]
        .replace('{carrier}', carrier?.[lang] ?? '')
        .replace('{city}', place.city[lang]);
    }
    steps.push({
      status,
      time: times[i] ?? times[times.length - 1] ?? 0,
      description,
      province: place.province,
      city: place.city,
      facility: `${place.city.en} ${i === 2 ? 'Sorting Centre' : 'Station'}`,
    });
  }
  return steps;
}
