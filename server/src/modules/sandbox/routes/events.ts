import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Int, Text, Type } from '../../../platform/http/schema.js';
import { PlatformName, sandboxOf } from '../sandbox.schemas.js';

const EVENT_TYPES = [
  'order.price_modified',
  'order.shipped',
  'order.closed',
  'order.finished',
  'logistics.updated',
  'refund.agreed',
  'refund.refused',
  'refund.goods_received',
  'refund.succeeded',
  'refund.closed',
  'product.changed',
] as const;

const EventType = Type.Enum(EVENT_TYPES, { description: 'What happened' });

export default defineRoute({
  method: 'GET',
  url: '/sandbox/events',
  operationId: 'sandboxEvents',
  summary: 'List the market’s events',
  description:
    'What the simulated sellers and the clock did, oldest first: the upstream events the platform receives. Page ' +
    'with `afterSeq` (the last `seq` seen).',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401],
  query: Type.Object(
    {
      afterSeq: Type.Optional(Int('Only events after this sequence number', 0, Number.MAX_SAFE_INTEGER, 0)),
      platform: Type.Optional(PlatformName),
      type: Type.Optional(EventType),
      orderId: Type.Optional(Text('Only events of this order', 40)),
      refundId: Type.Optional(Text('Only events of this refund', 40)),
      limit: Type.Optional(Int('At most this many', 1, 500, 100)),
    },
    { additionalProperties: false },
  ),
  data: Type.Object({
    list: Type.Array(
      Type.Object({
        seq: Int('Sequence number', 1, Number.MAX_SAFE_INTEGER),
        eventId: Type.String(),
        platform: PlatformName,
        type: EventType,
        at: EpochMs('Market time of the event'),
        orderId: Type.Union([Type.String(), Type.Null()]),
        refundId: Type.Union([Type.String(), Type.Null()]),
        productId: Type.Union([Type.String(), Type.Null()]),
        data: Type.Record(Type.String(), Type.Unknown(), { description: 'Facts about the change' }),
        delivered: Type.Boolean({ description: 'Recorded in the platform’s inbox of upstream events' }),
      }),
    ),
  }),
  handler: async ({ deps, query }) => ({
    list: sandboxOf(deps).events.list({ ...query, limit: query.limit ?? 100 }),
  }),
});
