import type { AppModule } from '../../platform/module.js';
import { DeliveryWorker } from './delivery.js';
import { purgeOldMessages } from './retention.js';
import { messageRoutes } from './routes/index.js';

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * The developer's callback messages (written by the modules whose objects change), their delivery to the callback
 * URL, and the callback settings (URL, signing secrets); docs/adr/0013.
 */
export const messagesModule: AppModule = {
  name: 'messages',
  routes: messageRoutes,
  startBackground(deps) {
    const worker = new DeliveryWorker(deps);
    worker.start();
    const purge = () =>
      purgeOldMessages(deps).catch((err: unknown) => deps.log.error({ err }, 'purge of old messages failed'));
    const timer = setInterval(purge, PURGE_EVERY_MS);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await worker.stop();
    };
  },
};
