import type { AppModule } from '../../platform/module.js';
import messageList from './routes/message-list.js';

/** The developer's callback messages (written by the modules whose objects change); delivery comes later. */
export const messagesModule: AppModule = {
  name: 'messages',
  routes: [messageList],
};
