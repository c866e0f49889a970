import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Type } from '../../../platform/http/schema.js';
import { Developer, toDeveloper } from '../accounts.schemas.js';
import { setDeveloperStatus } from '../accounts.service.js';
import { DeveloperParams } from './admin-params.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/developers/:developId/status',
  operationId: 'adminSetDeveloperStatus',
  summary: 'Enable or disable a developer',
  description: "A disabled developer's keys are refused with 40105 by every process from the next request.",
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401],
  params: DeveloperParams,
  body: Strict({
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')], { description: 'New status' }),
  }),
  data: Developer,
  handler: async ({ deps, db, params, body }) =>
    toDeveloper(await setDeveloperStatus(deps, db, params.developId, body.status)),
});
