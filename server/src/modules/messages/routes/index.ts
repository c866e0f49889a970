import type { AnyRoute } from '../../../platform/http/route.js';
import adminCallbackEnable from './admin-callback-enable.js';
import adminCallbackHealth from './admin-callback-health.js';
import adminCallbackState from './admin-callback-state.js';
import adminMessageAttempts from './admin-message-attempts.js';
import adminMessageList from './admin-message-list.js';
import adminMessageRedeliver from './admin-message-redeliver.js';
import callbackGet from './callback-get.js';
import callbackSave from './callback-save.js';
import callbackSecretRotate from './callback-secret-rotate.js';
import messageAttempts from './message-attempts.js';
import messageList from './message-list.js';
import messagePull from './message-pull.js';
import messageRedeliver from './message-redeliver.js';

/** Every route of the messages module: the developer's (`/open/message/...`) and the operator's (`/admin/...`). */
export const messageRoutes: AnyRoute[] = [
  messageList,
  messageAttempts,
  messageRedeliver,
  messagePull,
  callbackGet,
  callbackSave,
  callbackSecretRotate,
  adminCallbackState,
  adminCallbackEnable,
  adminMessageList,
  adminMessageAttempts,
  adminMessageRedeliver,
  adminCallbackHealth,
];
