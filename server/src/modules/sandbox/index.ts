import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';
import type { AppModule } from '../../platform/module.js';
import { registerChatRoutes } from './chat.js';
import { registerImageRoute } from './images.js';
import { runSandboxSellers, startSandbox } from './lifecycle.js';
import clockAdvance from './routes/clock-advance.js';
import clockGet from './routes/clock-get.js';
import clockSpeed from './routes/clock-speed.js';
import events from './routes/events.js';
import faultDelete from './routes/fault-delete.js';
import faultPut from './routes/fault-put.js';
import faultsDelete from './routes/faults-delete.js';
import faultsGet from './routes/faults-get.js';
import { delistProduct, relistProduct } from './routes/goods-listing.js';
import goodsStock from './routes/goods-stock.js';
import orderGet from './routes/order-get.js';
import orderPrice from './routes/order-price.js';
import orderShip from './routes/order-ship.js';
import policyGet from './routes/policy-get.js';
import policyPut from './routes/policy-put.js';
import { agreeRefund, receiveReturn, refuseRefund } from './routes/refund-decide.js';
import reset from './routes/reset.js';
import resetGet from './routes/reset-get.js';
import status from './routes/status.js';

/** Pictures and chat pages: answers outside the envelope. */
function registerRaw(app: FastifyInstance, deps: AppDeps): void {
  registerImageRoute(app, deps);
  registerChatRoutes(app, deps);
}

/** The sandbox market's control API (operator token), its product pictures and chat pages (public). */
export const sandboxModule: AppModule = {
  name: 'sandbox',
  routes: [
    status,
    reset,
    resetGet,
    clockGet,
    clockAdvance,
    clockSpeed,
    policyGet,
    policyPut,
    faultsGet,
    faultPut,
    faultDelete,
    faultsDelete,
    events,
    orderGet,
    orderShip,
    orderPrice,
    agreeRefund,
    refuseRefund,
    receiveReturn,
    goodsStock,
    delistProduct,
    relistProduct,
  ],
  registerRaw,
  onStart: startSandbox,
  startBackground: runSandboxSellers,
};
