import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../platform/deps.js';
import { openedSecret } from '../../../platform/upstream/upstreams.js';
import { IOP_PUSH_ACK, readIopPush } from '../push-taobao.js';
import { isRealUpstream, refreshOrder } from '../reconcile.js';

/**
 * `POST /upstream/push/taobao`: a message Taobao Global pushes (docs/adr/0016-real-upstreams.md). Verified over the
 * body byte for byte as received (401 otherwise); the purchase order it names is read again and the events that
 * bring Ponte's records to it go through the inbox before the 200. When the read fails the answer is 503, so that
 * the platform pushes again (and the reconciliation reads the order anyway). Served only while Taobao Global is
 * the real upstream.
 */
export async function receiveIopPush(deps: AppDeps, req: FastifyRequest, reply: FastifyReply) {
  if (!isRealUpstream(deps.config, 'taobao')) return json(reply, 404, { error: 'not found' });
  const { appKey, appSecret } = deps.config.upstreams.taobao.gateway;
  if (!appKey || !appSecret) {
    deps.log.error('a Taobao Global push arrived but no app key and secret are configured to verify it');
    return json(reply, 503, { error: 'not configured' });
  }
  const header = req.headers.authorization;
  const reading = readIopPush({
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    authorization: Array.isArray(header) ? header[0] : header,
    appKey,
    appSecret: openedSecret(appSecret, deps.secrets),
  });
  if (!reading.ok) {
    req.log.warn({ reason: reading.reason }, 'Taobao Global push refused');
    return json(reply, reading.reason === 'signature' ? 401 : 400, { error: reading.reason });
  }
  const { target } = reading;
  if (target.orderId) {
    try {
      const result = await refreshOrder(deps, 'taobao', target.orderId);
      req.log.info({ messageType: target.messageType, orderId: target.orderId, ...result }, 'Taobao Global push');
    } catch (err) {
      req.log.warn({ err, messageType: target.messageType }, 'Taobao Global push: the order could not be read');
      return json(reply, 503, { error: 'try again later' });
    }
  }
  return reply.code(200).type('application/json; charset=utf-8').send(IOP_PUSH_ACK);
}

function json(reply: FastifyReply, status: number, body: Record<string, string>) {
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}
