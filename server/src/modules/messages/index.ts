import type { AppModule } from '../../platform/module.js';
import callbackGet from './routes/callback-get.js';
import callbackSave from './routes/callback-save.js';
import callbackSecretRotate from './routes/callback-secret-rotate.js';
import messageList from './routes/message-list.js';

/**
 * The developer's callback messages (written by the modules whose objects change) and callback settings (URL,
 * signing secrets); delivery follows docs/adr/0013.
 */
export const messagesModule: AppModule = {
  name: 'messages',
  routes: [messageList, callbackGet, callbackSave, callbackSecretRotate],
};
