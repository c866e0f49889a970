import { PonteAdminClient, PonteClient } from '@ponte/sdk';
import { currentLanguage } from './i18n/index';

/**
 * Who is signed in, kept in this tab's sessionStorage only (gone when the tab closes; never in localStorage, cookies
 * or the server): a developer's access key and secret with the sub-account acting, or the operator's token.
 */
export interface DeveloperSession {
  accessKey: string;
  accessSecret: string;
  /** The main account's `user-id`, given at sign-in. */
  mainUserId: string;
  /** The sub-account requests act as (the `user-id` header): the main account unless switched. */
  userId: string;
}

export interface OperatorSession {
  token: string;
}

const DEVELOPER_KEY = 'ponte.developer';
const OPERATOR_KEY = 'ponte.operator';

function read<T>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  if (value === null) sessionStorage.removeItem(key);
  else sessionStorage.setItem(key, JSON.stringify(value));
}

export const developerSession = {
  get: () => read<DeveloperSession>(DEVELOPER_KEY),
  set: (s: DeveloperSession | null) => write(DEVELOPER_KEY, s),
};

export const operatorSession = {
  get: () => read<OperatorSession>(OPERATOR_KEY),
  set: (s: OperatorSession | null) => write(OPERATOR_KEY, s),
};

/** The server the console was loaded from: the API is on the same origin. */
export const apiBase = (): string => window.location.origin;

/** The server answers its messages (`msg`) in the console's language. */
const languageHeader = () => ({ 'accept-language': currentLanguage() });

/** A developer client: every request signed in this browser through Web Crypto. */
export function developerClient(session: Pick<DeveloperSession, 'accessKey' | 'accessSecret' | 'userId'>) {
  return new PonteClient({
    baseUrl: apiBase(),
    accessKey: session.accessKey,
    accessSecret: session.accessSecret,
    userId: session.userId,
    webCrypto: true,
    maxRetries: 1,
    headers: languageHeader,
  });
}

export function operatorClient(session: OperatorSession) {
  return new PonteAdminClient({ baseUrl: apiBase(), token: session.token, maxRetries: 1, headers: languageHeader });
}
