import type { OpaqueKind } from '../../../platform/crypto/opaque-ids.js';
import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Text, Type } from '../../../platform/http/schema.js';
import type { IdCodec } from '../../../platform/http/v2/codec.js';
import { chatLink } from '../orders.service.js';

const SOURCE_TYPES = ['item', 'order'] as const;
/** The longest `bizId`: an opaque id (v1's ids are 1 to 20 digits, checked by the handler). */
const OPAQUE_MAX = 300;
type SourceType = (typeof SOURCE_TYPES)[number];

const Legacy = (description: string, example?: string) =>
  Type.Optional(Type.Union([Text(description, 2000), Type.Null()], { description, examples: [example ?? ''] }));

/**
 * PandaPon's page documents `loginName`, `password`, `pageName` and `pageParamMap` but shows
 * `{"sourceType":"item","bizId":"…"}` as the body, and that object as `loginName`'s example value: both
 * are read, `sourceType`/`bizId` first.
 */
function fromLoginName(loginName: string | null | undefined): { sourceType?: unknown; bizId?: unknown } {
  if (!loginName?.trim().startsWith('{')) return {};
  try {
    const value = JSON.parse(loginName) as unknown;
    return typeof value === 'object' && value !== null ? (value as { sourceType?: unknown; bizId?: unknown }) : {};
  } catch {
    return {};
  }
}

/**
 * On v2, `bizId` may be an opaque id, whose kind depends on `sourceType` (an item, or an order or sub purchase
 * order): one mark cannot say which, so the route has the request's codec read it. v1 ids pass unchanged.
 */
type Opaque = (sourceType: SourceType, bizId: string) => string;

const BIZ_KINDS: Record<SourceType, readonly OpaqueKind[]> = { item: ['taobao-item'], order: ['order', 'order-part'] };

function opaqueOf(v2: IdCodec | null): Opaque | null {
  return v2 && ((sourceType, bizId) => v2.toV1(BIZ_KINDS[sourceType], bizId, /^[0-9]{1,20}$/.test(bizId)));
}

function target(
  body: { sourceType?: string | null; bizId?: string | null; loginName?: string | null },
  opaque: Opaque | null,
): {
  sourceType: SourceType;
  bizId: string;
} {
  const legacy = fromLoginName(body.loginName);
  const sourceType = body.sourceType ?? (typeof legacy.sourceType === 'string' ? legacy.sourceType : undefined);
  const rawBizId = body.bizId ?? legacy.bizId;
  const bizId = typeof rawBizId === 'number' ? String(rawBizId) : rawBizId;
  if (!sourceType) throw invalidParameter('sourceType', 'required');
  if (!SOURCE_TYPES.includes(sourceType as SourceType)) {
    throw invalidParameter('sourceType', 'oneOf', { values: SOURCE_TYPES.join(', ') });
  }
  if (typeof bizId !== 'string' || bizId === '') throw invalidParameter('bizId', 'required');
  const id = opaque ? opaque(sourceType as SourceType, bizId) : bizId;
  if (!/^[0-9]{1,20}$/.test(id)) throw invalidParameter('bizId', 'invalid');
  return { sourceType: sourceType as SourceType, bizId: id };
}

export default defineRoute({
  method: 'POST',
  url: '/open/order/page/link/get',
  operationId: 'taobaoImLink',
  summary: 'Get the IM (chat) link with a Taobao seller',
  description:
    'The URL of a chat with the seller of an item (`sourceType` `item`, `bizId` the item id) or of one of your ' +
    'orders (`sourceType` `order`, `bizId` Ponte’s order id or sub purchase order id; for an order with several ' +
    'sellers, the order id gives the first seller). Also read from `loginName` when it holds that JSON, as ' +
    'PandaPon’s page shows; `password`, `pageName` and `pageParamMap` are accepted and ignored. On v2, `bizId` is ' +
    'also the opaque id of the item, order or sub purchase order (an opaque id of another kind answers 40401).',
  tags: ['Taobao orders'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: Type.Object(
    {
      sourceType: Type.Optional(
        Type.Union([Type.Literal('item'), Type.Literal('order'), Type.Null()], {
          description: '`item` or `order`: what `bizId` names',
          examples: ['item'],
        }),
      ),
      bizId: Type.Optional(
        Type.Union([Text('Item id, or order / sub purchase order id', OPAQUE_MAX), Type.Null()], {
          description:
            'The item id (`item`), or Ponte’s order or sub purchase order id (`order`); on v2 also their opaque ids',
          examples: ['672991141190'],
        }),
      ),
      loginName: Legacy(
        'Documented by PandaPon; may hold `{"sourceType":…,"bizId":…}` as JSON',
        '{"sourceType":"item","bizId":"672991141190"}',
      ),
      password: Legacy('Documented by PandaPon; ignored'),
      pageName: Legacy('Documented by PandaPon; ignored'),
      pageParamMap: Legacy('Documented by PandaPon; ignored'),
    },
    { additionalProperties: false },
  ),
  data: Type.String({
    description: 'The chat URL',
    examples: ['https://distributor.taobao.global/apps/open/imchat?loginToken=…'],
  }),
  handler: async ({ deps, auth, body, v2 }) => chatLink(deps, auth, target(body, opaqueOf(v2))),
});
