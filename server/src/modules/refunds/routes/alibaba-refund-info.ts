import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { ownRefund } from '../actions.js';
import { AlibabaRefundDetail, toAlibabaRefundDetail } from '../alibaba-view.js';
import { evidenceUrls } from '../evidence.js';
import { historyOf, loadRefundAggregate } from '../refunds.repo.js';
import { RefundId } from '../refunds.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/refund/info',
  operationId: 'alibabaRefundInfo',
  summary: 'After-sales (refund) details',
  description:
    'A 1688 refund as Ponte last heard of it from the marketplace, in 1688’s refund model: status, amounts, reason, ' +
    'the seller’s refusal, the return address and parcel, deadlines, and every step (`refundOperationList`). The ' +
    'id goes in the query (`?refundId=`), as PandaPon documents it; a body `{"refundId": …}` is read too.',
  tags: ['1688 after-sales'],
  auth: 'signed',
  errors: [40401],
  query: Type.Object({ refundId: Type.Optional(RefundId('Refund id (starts with `TQ`)', 'TQ1796214365581049856')) }),
  body: Type.Optional(
    Type.Object(
      { refundId: Type.Optional(RefundId('Refund id, when not in the query')), language: LanguageField },
      { additionalProperties: false },
    ),
  ),
  data: AlibabaRefundDetail,
  handler: async ({ deps, auth, query, body, lang }) => {
    const refundId = query.refundId ?? body?.refundId;
    if (!refundId) throw invalidParameter('refundId', 'required');
    const refund = await ownRefund(deps, auth, '1688', refundId);
    const agg = await loadRefundAggregate(deps.database.db, refund);
    return toAlibabaRefundDetail(agg, await historyOf(deps.database.db, refund.id), lang, (keys) =>
      evidenceUrls(deps, keys),
    );
  },
});
