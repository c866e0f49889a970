import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { isApiError } from '../api';
import { useCommon } from '../i18n/common';

/** A loading state, announced to screen readers. */
export function Loading({ label }: { label?: string }) {
  const { t } = useCommon();
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('loading')}
    </p>
  );
}

/** A failed call: the API's `code`, `msg` and `requestId`, or the network's failure, with a retry when given. */
export function ErrorView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useCommon();
  return (
    <div className="error-box" role="alert">
      <p className="error-title">{t('errorTitle')}</p>
      {isApiError(error) ? (
        <dl className="error-fields">
          <dt>{t('errorCode')}</dt>
          <dd data-testid="error-code">{error.code}</dd>
          <dt>{t('errorMessage')}</dt>
          <dd data-testid="error-msg">{error.msg}</dd>
          <dt>{t('errorRequestId')}</dt>
          <dd>
            <code data-testid="error-request-id">{error.requestId || '—'}</code>
          </dd>
        </dl>
      ) : (
        <p>{t('networkError', { message: error instanceof Error ? error.message : String(error) })}</p>
      )}
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** An empty list's message. */
export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useCommon();
  return <p className="empty">{children ?? t('empty')}</p>;
}

/** A query's three states: loading, its error (with a retry), or its data given to `children`. */
export function QueryView<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorView error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}
