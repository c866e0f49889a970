// The Ponte server of `npm run bench:pay -- --upstream instant`: the compiled server (server/dist, as
// `ponte serve` runs it) with the embedded sandbox market as its upstream, except that the sandbox's Taobao
// sellers take a payment at once, from the order as they created it, without their store. It measures what a
// pay costs Ponte itself when the marketplace costs the server nothing but the wait, as a real one does (its
// work runs on its own machines). Everything else (orders, goods, the control API) is the sandbox's.
//
// Usage (bench/ponte-server.ts starts it): node --import tsx bench/instant-upstream-server.ts serve

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as AppModule from '../server/src/app.js';
import type * as ConfigModule from '../server/src/config.js';
import type * as MainModule from '../server/src/main.js';
import type * as PublicUrlModule from '../server/src/platform/public-url.js';
import type * as ErrorsModule from '../server/src/providers/errors.js';
import type { TaobaoProvider } from '../server/src/providers/taobao.js';
import type { UpstreamOrder } from '../server/src/providers/types.js';

const dist = (file: string) => pathToFileURL(path.resolve(import.meta.dirname, '../server/dist/src', file)).href;
const { createSandbox } = (await import(dist('app.js'))) as typeof AppModule;
const { loadConfig } = (await import(dist('config.js'))) as typeof ConfigModule;
const { serve } = (await import(dist('main.js'))) as typeof MainModule;
const { MarketRejection } = (await import(dist('providers/errors.js'))) as typeof ErrorsModule;
const { PublicUrl } = (await import(dist('platform/public-url.js'))) as typeof PublicUrlModule;

/** Taobao sellers that remember the orders they created and take their payment in memory. */
function instantPayments(sandbox: TaobaoProvider): TaobaoProvider {
  const created = new Map<string, UpstreamOrder>();
  const paid = (order: UpstreamOrder): UpstreamOrder => ({
    ...order,
    status: 'wait_seller_send',
    paidAt: order.paidAt ?? Date.now(),
    lines: order.lines.map((line) => ({ ...line, status: 'wait_seller_send' })),
  });
  const overrides: Partial<TaobaoProvider> = {
    async createOrder(request, opts) {
      const orders = await sandbox.createOrder(request, opts);
      for (const order of orders) created.set(order.orderId, order);
      return orders;
    },
    async payOrder(orderId, buyerId, expectedTotalFen) {
      const order = created.get(orderId);
      if (!order || order.buyerId !== buyerId) throw new MarketRejection('not_found', `order ${orderId}`);
      if (order.totalFen !== expectedTotalFen) throw new MarketRejection('price_changed', 'the total changed');
      const done = paid(order);
      created.set(orderId, done);
      return done;
    },
    async getOrder(orderId, buyerId, opts) {
      const order = created.get(orderId);
      return order && order.buyerId === buyerId ? order : sandbox.getOrder(orderId, buyerId, opts);
    },
  };
  return new Proxy(sandbox, {
    get(target, name, receiver) {
      const own = (overrides as Record<string | symbol, unknown>)[name];
      if (own) return own;
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const config = loadConfig();
const sandbox = createSandbox(config, PublicUrl.fromConfig(config), Date.now);
await serve(config, { sandbox, market: { taobao: instantPayments(sandbox.taobao), alibaba: sandbox.alibaba } });
