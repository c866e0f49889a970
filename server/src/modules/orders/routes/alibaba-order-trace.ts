import type { Language } from '../../../platform/http/i18n.js';
import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, LanguageField, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import type { LogisticsTrace } from '../../../providers/types.js';
import { OrderIdField } from '../alibaba.schemas.js';
import { traceOrder } from '../orders.service.js';

const Trace = Type.Object({
  logisticsId: Type.String({ description: 'Id of the parcel', examples: ['1795432287562383362-1'] }),
  orderId: OpaqueId('order', Type.String({ description: 'The order', examples: ['1795432287562383360'] })),
  logisticsBillNo: Type.String({ description: 'Tracking number', examples: ['ZTO73100000000001'] }),
  logisticsCompanyNo: Type.String({
    description: 'Carrier code (`/alibaba/logistics/company/list`)',
    examples: ['ZTO'],
  }),
  logisticsCompanyName: Type.String({ description: 'Carrier name', examples: ['中通快递'] }),
  subItemIds: Type.Array(OpaqueId('order-line', Type.String()), {
    description: 'The order lines (`subItemID`) in this parcel',
  }),
  logisticsSteps: Type.Array(
    Type.Object({
      acceptTime: EpochMs('When (epoch ms; 1688 writes it as text)'),
      remark: Type.String({ description: 'What happened, original Chinese' }),
      remarkTrans: Type.String({ description: 'What happened, in the requested language' }),
      status: Type.String({
        description: '`CONSIGN`, `ACCEPT`, `TRANSPORT`, `DELIVERING` or `SIGN` (1688’s trace words)',
        examples: ['TRANSPORT'],
      }),
    }),
    { description: 'The parcel’s steps, oldest first' },
  ),
});

function toTrace(
  orderId: string,
  partId: string,
  lineIds: Map<string, string>,
  t: LogisticsTrace,
  n: number,
  lang: Language,
) {
  return {
    logisticsId: `${partId}-${n}`,
    orderId,
    logisticsBillNo: t.trackingNo,
    logisticsCompanyNo: t.carrierCode,
    logisticsCompanyName: t.carrierName,
    subItemIds: t.lineIds.flatMap((id) => (lineIds.has(id) ? [lineIds.get(id) as string] : [])),
    logisticsSteps: t.steps.map((s) => ({
      acceptTime: s.time,
      remark: s.description.zh,
      remarkTrans: s.description[lang],
      status: s.status,
    })),
  };
}

export default defineRoute({
  method: 'GET',
  url: '/alibaba/order/logistics/trace',
  operationId: 'alibabaOrderLogisticsTrace',
  summary: 'Logistics tracking of a 1688 order',
  description:
    'The seller’s parcels of an order with their tracking steps, as the marketplace reports them now: ' +
    '`logisticsTrace` is empty until the seller ships. Remarks are in Chinese with `remarkTrans` in ' +
    '`language`; times are epoch milliseconds.',
  tags: ['1688 orders'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  query: Type.Object({ orderId: OrderIdField, language: LanguageField }, { additionalProperties: false }),
  data: Type.Object({
    logisticsTrace: Type.Array(Trace, { description: 'One trace per parcel (empty before shipping)' }),
  }),
  handler: async ({ deps, auth, query, lang }) => {
    const parts = await traceOrder(deps, auth, '1688', query.orderId);
    return {
      logisticsTrace: parts.flatMap(({ part, traces }) => {
        // The marketplace names its own line ids; answers name Ponte's (`subItemID`).
        const lineIds = new Map(part.lines.map((l) => [l.upstream_line_id, l.id]));
        return traces.map((t, i) => toTrace(query.orderId, part.part.id, lineIds, t, i + 1, lang));
      }),
    };
  },
});
