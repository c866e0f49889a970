import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../../platform/auth/credentials.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, errorMessage, httpStatusOf } from '../../platform/http/errors.js';
import { type Language, pickLanguage } from '../../platform/http/i18n.js';
import { upstreamApiError } from '../../platform/http/upstream-errors.js';
import { balanceOf } from '../payments/index.js';
import { findOwnOrder, loadAggregate } from './orders.repo.js';
import { payOrder } from './orders.service.js';
import { initialStatus, isClosed } from './orders.states.js';
import type { OrderAggregate, OrderRow } from './orders.types.js';
import { messagePage, orderPage, PAY_PAGE_CSP, type PageText, say } from './pay-page.html.js';

/**
 * The hosted payment page of 1688 orders (`GET|POST /pay/alibaba/{token}`), the `payUrl` that
 * `/alibaba/order/pay/url` hands out when the balance does not cover an order. The token is the order's
 * id, its developer and sub-account and an expiry (24 h), sealed with the deployment's master key
 * (AES-256-GCM), so it can be neither forged nor guessed; whoever holds it may see the order and pay it
 * from its developer's balance, exactly as the sub-account that placed it could. Outside the envelope
 * and the OpenAPI document: these are pages for a person, not API calls.
 */

const PURPOSE = 'pay-alibaba';
export const PAY_TOKEN_TTL_MS = 24 * 3600 * 1000;
const PATH = '/pay/alibaba';

interface PayToken {
  p: typeof PURPOSE;
  o: string;
  d: string;
  u: string;
  x: number;
}

/** The page's URL for an order: a fresh token, valid for 24 hours. */
export function payPageUrl(deps: Pick<AppDeps, 'secrets' | 'clock' | 'publicUrl'>, order: OrderRow): string {
  const token: PayToken = {
    p: PURPOSE,
    o: order.id,
    d: order.develop_id,
    u: order.user_id,
    x: deps.clock.now() + PAY_TOKEN_TTL_MS,
  };
  return `${deps.publicUrl.get()}${PATH}/${deps.secrets.seal(JSON.stringify(token))}`;
}

/** The token's content, `expired`, or null for anything that was not sealed by this deployment as a pay token. */
function openToken(deps: AppDeps, token: string): PayToken | 'expired' | null {
  if (token.length > 1000) return null;
  let value: Partial<PayToken>;
  try {
    value = JSON.parse(deps.secrets.openOnce(token)) as Partial<PayToken>;
  } catch {
    return null;
  }
  if (value?.p !== PURPOSE || typeof value.o !== 'string' || typeof value.d !== 'string' || typeof value.u !== 'string')
    return null;
  if (typeof value.x !== 'number' || value.x <= deps.clock.now()) return 'expired';
  return value as PayToken;
}

/** The sub-account that placed the order: the page acts as it. */
const actorOf = (t: PayToken): AuthContext => ({ developId: t.d, accessKey: '', userId: t.u, isMainAccount: false });

function send(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .header('content-security-policy', PAY_PAGE_CSP)
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .type('text/html; charset=utf-8')
    .send(html);
}

const languageOf = (req: FastifyRequest): Language =>
  pickLanguage((req.query as { lang?: string } | undefined)?.lang, req.headers['accept-language']);

/** The order behind a token, or the page that says why there is none. */
async function resolve(deps: AppDeps, req: FastifyRequest, reply: FastifyReply) {
  const lang = languageOf(req);
  const token = openToken(deps, (req.params as { '*': string })['*']);
  if (token === 'expired') return { done: send(reply, 410, messagePage(lang, 'expired')) };
  const order = token ? await findOwnOrder(deps.database.db, actorOf(token), '1688', token.o) : null;
  if (!token || !order) return { done: send(reply, 404, messagePage(lang, 'notFound')) };
  return { token, order, lang };
}

/** What the order still needs and what the page says about it. */
async function pageState(deps: AppDeps, agg: OrderAggregate) {
  const { order } = agg;
  const balanceFen = await balanceOf(deps.database.db, order.develop_id);
  const payable = order.pay_state === 'unpaid' && order.status === initialStatus('1688');
  const state: PageText | null = payable
    ? null
    : isClosed('1688', order.status)
      ? 'closed'
      : order.pay_state === 'paying'
        ? 'pending'
        : 'alreadyPaid';
  return { balanceFen, dueFen: payable ? Number(order.total_fen) : 0, payable, state };
}

async function showOrder(deps: AppDeps, req: FastifyRequest, reply: FastifyReply) {
  const found = await resolve(deps, req, reply);
  if ('done' in found) return found.done;
  const agg = await loadAggregate(deps.database.db, found.order);
  const s = await pageState(deps, agg);
  const notice = s.state ? { text: say(found.lang, s.state), error: s.state === 'closed' } : undefined;
  return send(reply, 200, orderPage({ agg, ...s, ...(notice ? { notice } : {}) }, found.lang));
}

/** The API error a payment ended with, as the page shows it. */
function failureOf(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const mapped = upstreamApiError(err);
  if (mapped) return mapped;
  throw err;
}

async function pay(deps: AppDeps, req: FastifyRequest, reply: FastifyReply) {
  const found = await resolve(deps, req, reply);
  if ('done' in found) return found.done;
  const { lang } = found;
  let status = 200;
  let notice: { text: string; error: boolean };
  try {
    const { outcome } = await payOrder(deps, actorOf(found.token), '1688', found.order.id);
    const key: PageText = outcome.kind === 'pending' ? 'pending' : outcome.alreadyPaid ? 'alreadyPaid' : 'paid';
    notice = { text: say(lang, key), error: false };
    if (outcome.kind === 'pending') status = 202;
  } catch (err) {
    const failure = failureOf(err);
    status = failure.code === 42201 ? 402 : httpStatusOf(failure.code);
    notice = { text: errorMessage(failure.code, lang, failure.params), error: true };
  }
  const order = (await findOwnOrder(deps.database.db, actorOf(found.token), '1688', found.order.id)) ?? found.order;
  const agg = await loadAggregate(deps.database.db, order);
  return send(reply, status, orderPage({ agg, ...(await pageState(deps, agg)), notice }, lang));
}

/** Registers the page (the orders module's `registerRaw`). */
export function registerPayPage(app: FastifyInstance, deps: AppDeps): void {
  app.register(async (scope) => {
    // The page's form posts an empty urlencoded body; nothing in it is read.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_r, _b, done) => done(null, {}),
    );
    // Not in the OpenAPI document: a page for a person, answered in HTML whatever happens.
    const schema = { hide: true };
    // A wildcard, not a parameter: tokens are longer than the router's parameters may be.
    scope.get(`${PATH}/*`, { schema }, (req, reply) => showOrder(deps, req, reply));
    scope.post(`${PATH}/*`, { schema }, (req, reply) => pay(deps, req, reply));
  });
}
