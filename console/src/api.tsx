import type { PonteAdminClient, PonteClient } from '@ponte/sdk';
import { QueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import {
  type DeveloperSession,
  developerClient,
  developerSession,
  type OperatorSession,
  operatorClient,
  operatorSession,
} from './session';

/** One query cache for the console: answers stay fresh for 10 s, and a failed read is tried once more. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      retry: (count, error) => count < 1 && !isApiError(error),
      refetchOnWindowFocus: false,
    },
  },
});

/** An error the API answered (the SDK's ApiError): it has a `code`, a `msg` and a `requestId`. */
export interface ApiErrorLike {
  code: number;
  msg: string;
  requestId: string;
  httpStatus?: number;
}

export function isApiError(error: unknown): error is ApiErrorLike {
  const e = error as Partial<ApiErrorLike> | null;
  return typeof e === 'object' && e !== null && typeof e.code === 'number' && typeof e.msg === 'string';
}

interface DeveloperContextValue {
  session: DeveloperSession;
  client: PonteClient;
  /** Acts as another sub-account from the next request (its data is read anew). */
  actAs: (userId: string) => void;
  signOut: () => void;
}

interface OperatorContextValue {
  session: OperatorSession;
  client: PonteAdminClient;
  signOut: () => void;
}

const DeveloperContext = createContext<DeveloperContextValue | null>(null);
const OperatorContext = createContext<OperatorContextValue | null>(null);

/** Provides the signed-in developer's client to the portal's pages (the layout renders it after its guard). */
export function DeveloperProvider({ children, onSignOut }: { children: ReactNode; onSignOut: () => void }) {
  const [session, setSession] = useState(() => developerSession.get());
  const actAs = useCallback((userId: string) => {
    setSession((s) => {
      if (!s) return s;
      const next = { ...s, userId };
      developerSession.set(next);
      return next;
    });
  }, []);
  const signOut = useCallback(() => {
    developerSession.set(null);
    queryClient.clear();
    setSession(null);
    onSignOut();
  }, [onSignOut]);
  const value = useMemo(
    () => (session ? { session, client: developerClient(session), actAs, signOut } : null),
    [session, actAs, signOut],
  );
  if (!value) return null;
  return <DeveloperContext.Provider value={value}>{children}</DeveloperContext.Provider>;
}

export function OperatorProvider({ children, onSignOut }: { children: ReactNode; onSignOut: () => void }) {
  const [session, setSession] = useState(() => operatorSession.get());
  const signOut = useCallback(() => {
    operatorSession.set(null);
    queryClient.clear();
    setSession(null);
    onSignOut();
  }, [onSignOut]);
  const value = useMemo(
    () => (session ? { session, client: operatorClient(session), signOut } : null),
    [session, signOut],
  );
  if (!value) return null;
  return <OperatorContext.Provider value={value}>{children}</OperatorContext.Provider>;
}

/**
 * The developer portal's client and session. Query keys should start with `devKey(...)` so that switching the
 * sub-account reads everything anew: `useQuery({ queryKey: devKey('orders', page), queryFn: () => client... })`.
 */
export function useDeveloper() {
  const value = useContext(DeveloperContext);
  if (!value) throw new Error('useDeveloper outside the developer portal');
  const { session } = value;
  const devKey = useCallback((...parts: unknown[]) => ['dev', session.accessKey, session.userId, ...parts], [session]);
  return { ...value, devKey };
}

/** The operator console's client: query keys start with `opKey(...)`. */
export function useOperator() {
  const value = useContext(OperatorContext);
  if (!value) throw new Error('useOperator outside the operator console');
  const opKey = useCallback((...parts: unknown[]) => ['op', ...parts], []);
  return { ...value, opKey };
}
