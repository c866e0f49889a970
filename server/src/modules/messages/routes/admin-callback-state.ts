import { defineRoute } from '../../../platform/http/route.js';
import { CallbackState } from '../messages.schemas.js';
import { callbackState } from '../queries.js';
import { DeveloperParams, requireDeveloper } from './admin-params.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/developers/:developId/callback',
  operationId: 'adminGetCallbackState',
  summary: "A developer's callback delivery state",
  description:
    'The callback settings as the developer reads them (`null` before a URL was saved), since when every attempt ' +
    'has failed, the messages kept counted by delivery status, and the latest attempt.',
  tags: ['Admin'],
  auth: 'admin',
  errors: [40401],
  params: DeveloperParams,
  data: CallbackState,
  handler: async ({ deps, db, params }) => {
    await requireDeveloper(db, params.developId);
    return callbackState(deps, db, params.developId);
  },
});
