import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../platform/deps.js';
import { openedSecret } from '../../../platform/upstream/upstreams.js';
import { AOP_PUSH_ACK, readAopPush } from '../push-1688.js';
import { isRealUpstream, refreshOrder } from '../reconcile.js';

/**
 * `POST /upstream/push/1688`: a message 1688 pushes (docs/adr/0016-real-upstreams.md). Verified over the form as
 * received (401 otherwise); the order it names is read again and the events that bring Ponte's records to it go
 * through the inbox before the message is confirmed. When the read fails the answer is 503, so that 1688 pushes
 * the message again (and the reconciliation reads the order anyway). Served only while 1688 is the real upstream.
 */
export async function receiveAopPush(deps: AppDeps, req: FastifyRequest, reply: FastifyReply) {
  if (!isRealUpstream(deps.config, '1688')) return plain(reply, 404, 'not found');
  const sealed = deps.config.upstreams.alibaba.gateway.appSecret;
  const secret = sealed === undefined ? undefined : openedSecret(sealed, deps.secrets);
  if (!secret) {
    deps.log.error('a 1688 push arrived but no app secret is configured to verify it');
    return plain(reply, 503, 'not configured');
  }
  const raw = typeof req.body === 'string' ? req.body : '';
  const reading = readAopPush(raw, secret);
  if (!reading.ok) {
    req.log.warn({ reason: reading.reason }, '1688 push refused');
    return reading.reason === 'signature' ? plain(reply, 401, 'invalid signature') : plain(reply, 400, 'malformed');
  }
  const { target } = reading;
  if (target.orderId) {
    try {
      const result = await refreshOrder(deps, '1688', target.orderId);
      req.log.info({ topic: target.topic, msgId: target.msgId, orderId: target.orderId, ...result }, '1688 push');
    } catch (err) {
      req.log.warn({ err, topic: target.topic, msgId: target.msgId }, '1688 push: the order could not be read');
      return plain(reply, 503, 'try again later');
    }
  }
  return plain(reply, 200, AOP_PUSH_ACK);
}

function plain(reply: FastifyReply, status: number, text: string) {
  return reply.code(status).type('text/plain; charset=utf-8').send(text);
}
