import type { Language } from '../../../platform/http/i18n.js';
import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Id, Int, LanguageField, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import type { LogisticsTrace, TraceStep } from '../../../providers/types.js';
import { decodeLine, partForLogistics, receiverOf, traceOrder } from '../orders.service.js';
import type { LineRow, Receiver } from '../orders.types.js';
import { propertyMap } from '../taobao.schemas.js';

const Str = (description: string, example?: string) =>
  Type.String({ description, ...(example === undefined ? {} : { examples: [example] }) });

const LogisticsTraceView = Type.Object({
  statusDesc: Str('What happened, the carrier’s words (Chinese original)', '【杭州市】快件已到达 杭州转运中心'),
  standerdDesc: Str('The same in the requested language (PandaPon’s spelling of the field)', 'Arrived at Hangzhou hub'),
  province: Str('Province where it happened', '浙江省'),
  city: Str('City where it happened', '杭州市'),
  district: Str('District, when known (else empty)', ''),
  action: Str('The step: `CONSIGN`, `ACCEPT`, `TRANSPORT`, `DELIVERING` or `SIGN`', 'TRANSPORT'),
  facilityName: Str('Carrier facility', '杭州转运中心'),
  time: EpochMs('When'),
  status: Str('The step, as `action`', 'TRANSPORT'),
  nextCity: Str('City of the following step, empty for the latest', '东莞市'),
  nextNodeName: Str('Facility of the following step, empty for the latest', '东莞转运中心'),
});

const PnmLogisticsDetail = Type.Object({
  mailNo: Str('Tracking number of this parcel', 'ZT7700123456789'),
  logisticsTraces: Type.Array(LogisticsTraceView, { description: 'The parcel’s steps, oldest first' }),
  logisticsPartner: Type.Array(
    Type.Object({
      company: Str('Carrier name', '中通快递'),
      companyCode: Str('Carrier code', 'ZTO'),
      companyContact: Str('Carrier contact, when known (else empty)', ''),
      companyImageUrl: Str('Carrier logo, when known (else empty)', ''),
    }),
    { description: 'The carrier (one)' },
  ),
  receiver: Type.Object({
    name: Str('Receiver name', 'a测试aa'),
    phone: Str('Receiver phone', '15068763421'),
    zipCode: Str('Postcode', '11111'),
    province: Str('Province', '浙江省'),
    city: Str('City', '杭州市'),
    district: Str('District', '余杭区'),
    address: Str('Street and number', '测试地址'),
  }),
  logisticsGoods: Type.Array(
    Type.Object({
      title: Str('Item title, Chinese original'),
      titleTrans: Str('Item title in the requested language'),
      property: Str('SKU properties, Chinese original, `name:value;name:value`', '颜色分类:黄色;尺码:L'),
      imageUrl: Str('Item picture'),
      quantity: Int('Quantity in this parcel', 1, 1_000_000, 1),
    }),
    { description: 'The order lines in this parcel' },
  ),
});

function toStep(step: TraceStep, next: TraceStep | undefined, lang: Language) {
  return {
    statusDesc: step.description.zh,
    standerdDesc: step.description[lang] || step.description.zh,
    province: step.province.zh,
    city: step.city.zh,
    district: '',
    action: step.status,
    facilityName: step.facility,
    time: step.time,
    status: step.status,
    nextCity: next?.city.zh ?? '',
    nextNodeName: next?.facility ?? '',
  };
}

function toParcel(trace: LogisticsTrace, lines: LineRow[], receiver: Receiver, lang: Language) {
  const inParcel = lines.filter(
    (l) => trace.lineIds.includes(l.upstream_line_id) || l.tracking_no === trace.trackingNo,
  );
  return {
    mailNo: trace.trackingNo,
    logisticsTraces: trace.steps.map((s, i) => toStep(s, trace.steps[i + 1], lang)),
    logisticsPartner: [
      { company: trace.carrierName, companyCode: trace.carrierCode, companyContact: '', companyImageUrl: '' },
    ],
    receiver: {
      name: receiver.name,
      phone: receiver.mobilePhone || receiver.phone,
      zipCode: receiver.zip,
      province: receiver.province,
      city: receiver.city,
      district: receiver.district,
      address: receiver.address,
    },
    logisticsGoods: inParcel.map((l) => {
      const { title, skuProperties } = decodeLine(l);
      const props = propertyMap(skuProperties, 'zh');
      return {
        title: title.zh,
        titleTrans: title[lang] || title.zh,
        property: Object.entries(props)
          .map(([k, v]) => `${k}:${v}`)
          .join(';'),
        imageUrl: l.image_url,
        quantity: l.quantity,
      };
    }),
  };
}

export default defineRoute({
  method: 'GET',
  url: '/open/order/logistics/detail/get',
  operationId: 'taobaoOrderLogistics',
  summary: 'Logistics details of a Taobao sub purchase order',
  description:
    'The domestic parcels of one sub purchase order (one seller), read from the marketplace: for each parcel its ' +
    'tracking number, carrier, steps (`CONSIGN` → `ACCEPT` → `TRANSPORT` → `DELIVERING` → `SIGN`), receiver and ' +
    'the lines it holds. `pnmLogisticsDetails` is empty until the seller ships.',
  tags: ['Taobao orders'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  query: Type.Object(
    {
      subPurchaseOrderId: OpaqueId(
        'order-part',
        Id('Sub purchase order id (`subPurchaseOrderId` of the order)', '1795432287562383361'),
      ),
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: Type.Object({
    subPurchaseOrderId: OpaqueId('order-part', Str('The sub purchase order asked for', '1795432287562383361')),
    purchaseOrderOuterId: Str('The marketplace’s order id of this sub purchase order', '3728109134260933749'),
    pnmLogisticsDetails: Type.Array(PnmLogisticsDetail, { description: 'One per parcel; empty before shipping' }),
  }),
  handler: async ({ deps, db, auth, query, lang }) => {
    const { aggregate, part } = await partForLogistics(db, auth, query.subPurchaseOrderId);
    const traced = await traceOrder(deps, auth, 'taobao', aggregate.order.id);
    const traces = traced.find((t) => t.part.part.id === part.part.id)?.traces ?? [];
    const receiver = receiverOf(aggregate.order);
    return {
      subPurchaseOrderId: part.part.id,
      purchaseOrderOuterId: part.part.upstream_order_id,
      pnmLogisticsDetails: traces.map((t) => toParcel(t, part.lines, receiver, lang)),
    };
  },
});
