import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';
import { MarketRejection } from '../../providers/errors.js';
import { ChatTokenError } from '../../providers/sandbox/market/chat-token.js';
import { chatPage, chatPagePolicy, PLAIN_PAGE_POLICY, plainPage } from './chat-page.js';
import { sandboxForChange, sandboxOf } from './sandbox.schemas.js';

/** A message is at most 500 characters: a few kilobytes however it is encoded. */
const BODY_LIMIT = 16 * 1024;
const FORM = 'application/x-www-form-urlencoded';

/**
 * The chat pages behind the sandbox Taobao's `chatUrl`, standing in for the marketplace's IM:
 * `GET /sandbox/im/chat` (HTML), `GET` and `POST /sandbox/im/messages` (JSON, or the page's form when
 * scripts are off). The `loginToken` in the query is the only credential, so these are
 * public and outside the envelope; a token that is forged, expired or stale answers 401 and says only
 * that. They are browser pages, not API operations, and stay out of the OpenAPI document.
 */
export function registerChatRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.register(async (scope) => {
    // The page's form posts itself when scripts are off; only these routes read that body type.
    scope.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    scope.get('/sandbox/im/chat', { schema: { hide: true } }, async (req, reply) => {
      const token = tokenOf(req);
      try {
        const view = sandboxOf(deps).chat.open(token);
        const nonce = randomBytes(16).toString('base64');
        return reply
          .header('content-security-policy', chatPagePolicy(nonce))
          .type('text/html; charset=utf-8')
          .send(chatPage(view, String(token), nonce));
      } catch (err) {
        return refuse(reply, err, 'html');
      }
    });

    scope.get('/sandbox/im/messages', { schema: { hide: true } }, async (req, reply) => {
      try {
        return reply.send(sandboxOf(deps).chat.open(tokenOf(req)));
      } catch (err) {
        return refuse(reply, err, 'json');
      }
    });

    scope.post('/sandbox/im/messages', { schema: { hide: true }, bodyLimit: BODY_LIMIT }, async (req, reply) => {
      const form = (req.headers['content-type'] ?? '').startsWith(FORM);
      const token = tokenOf(req);
      try {
        const text = (req.body as { text?: unknown } | undefined)?.text;
        const sent = sandboxForChange(deps).chat.send(token, text);
        if (form) return reply.redirect(`/sandbox/im/chat?loginToken=${encodeURIComponent(String(token))}`, 303);
        return reply.status(201).send(sent);
      } catch (err) {
        return refuse(reply, err, form ? 'html' : 'json');
      }
    });
  });
}

function tokenOf(req: FastifyRequest): unknown {
  return (req.query as Record<string, unknown> | undefined)?.loginToken;
}

/** 401 for a token, 400 for a message out of bounds, in the form the caller reads; anything else propagates. */
function refuse(reply: FastifyReply, err: unknown, as: 'html' | 'json'): FastifyReply {
  const status = err instanceof ChatTokenError ? 401 : err instanceof MarketRejection ? 400 : 0;
  if (status === 0) throw err;
  const message = (err as Error).message;
  if (as === 'json') return reply.status(status).send({ message });
  const title = status === 401 ? 'Chat link refused' : 'Message refused';
  return reply
    .status(status)
    .header('content-security-policy', PLAIN_PAGE_POLICY)
    .type('text/html; charset=utf-8')
    .send(plainPage(title, message));
}
