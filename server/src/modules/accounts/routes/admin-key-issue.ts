import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Text, Type } from '../../../platform/http/schema.js';
import { IssuedKey } from '../accounts.schemas.js';
import { issueKey } from '../accounts.service.js';
import { DeveloperParams } from './admin-params.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/developers/:developId/keys',
  operationId: 'adminIssueKey',
  summary: 'Issue another access key',
  description: 'The secret is shown only in this reply.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401],
  params: DeveloperParams,
  body: Strict({ label: Type.Optional(Text('Operator note', 64, 'ERP integration')) }),
  data: IssuedKey,
  handler: async ({ deps, db, params, body }) => issueKey(deps, db, params.developId, body.label ?? null),
});
