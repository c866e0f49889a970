import { defineRoute } from '../../../platform/http/route.js';
import { PageNo, PageSize, Type } from '../../../platform/http/schema.js';
import { MessageList } from '../messages.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/open/message/list',
  operationId: 'listMessages',
  summary: 'List the callback messages written for the developer',
  description:
    'Every message the callbacks carry (order price and status changes, refunds), newest first, written in the ' +
    'transaction of the change it tells of. A sub-account sees the messages of its own objects; the main account all ' +
    "of its developer's.",
  tags: ['Messages'],
  auth: 'signed',
  query: Type.Object(
    {
      pageNo: PageNo,
      pageSize: PageSize,
      messageType: Type.Optional(
        Type.String({ maxLength: 64, description: 'Only this type', examples: ['ORDER_BUYER_VIEW_ORDER_PAY'] }),
      ),
      objectId: Type.Optional(
        Type.String({ pattern: '^[0-9A-Za-z]{1,32}$', description: 'Only messages about this order or refund' }),
      ),
    },
    { additionalProperties: false },
  ),
  data: MessageList,
  handler: async ({ db, auth, query }) => {
    const pageNo = query.pageNo ?? 1;
    const pageSize = query.pageSize ?? 20;
    let q = db.selectFrom('messages').where('develop_id', '=', auth.developId);
    if (!auth.isMainAccount) q = q.where('user_id', '=', auth.userId);
    if (query.messageType) q = q.where('message_type', '=', query.messageType);
    if (query.objectId) q = q.where('object_id', '=', query.objectId);
    const count = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll()
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((pageNo - 1) * pageSize)
      .execute();
    return {
      total: Number(count.n),
      pageNo,
      pageSize,
      messages: rows.map((r) => ({
        messageId: r.id,
        messageType: r.message_type,
        messagePlatform: r.message_platform,
        objectType: r.object_type,
        objectId: r.object_id,
        version: r.version,
        messageBody: JSON.parse(r.body) as unknown,
        timestamp: Number(r.created_at),
      })),
    };
  },
});
