import { ApiError, notFound } from '../../../platform/http/errors.js';
import { phrase } from '../../../platform/http/reasons.js';
import { defineRoute } from '../../../platform/http/route.js';
import { enableCallbackUrl } from '../callbacks.js';
import { CallbackState } from '../messages.schemas.js';
import { callbackState } from '../queries.js';
import { DeveloperParams, requireDeveloper } from './admin-params.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/developers/:developId/callback/enable',
  operationId: 'adminEnableCallbackUrl',
  summary: "Re-enable a developer's disabled callback URL",
  description:
    'Enables a URL that delivery disabled (it answered 410, or failed for 5 days) without a verification POST. ' +
    'Messages held meanwhile stay held until redelivered (`POST /admin/developers/{developId}/messages/redeliver`); ' +
    'the answer counts them. 40401 when the developer has no callback URL, 40901 when it is enabled already.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401, 40901],
  params: DeveloperParams,
  data: CallbackState,
  handler: async ({ deps, db, params }) => {
    const { developId } = params;
    await requireDeveloper(db, developId);
    const url = await db
      .selectFrom('callback_endpoints')
      .select('url')
      .where('develop_id', '=', developId)
      .executeTakeFirst();
    if (!url) throw notFound('callbackUrlOf', developId);
    if (!(await enableCallbackUrl(db, deps, developId))) {
      throw new ApiError(40901, { reason: phrase('callbackEnabled') });
    }
    return callbackState(deps, db, developId);
  },
});
