import { useCommon } from '../i18n/common';

/** Previous and next for a paged list (`pageNo` from 1), with where the list is. */
export function Pager({
  pageNo,
  pageSize,
  total,
  onChange,
}: {
  pageNo: number;
  pageSize: number;
  total: number;
  onChange: (pageNo: number) => void;
}) {
  const { t } = useCommon();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label={t('pageOf', { page: pageNo, pages })}>
      <button type="button" className="btn" disabled={pageNo <= 1} onClick={() => onChange(pageNo - 1)}>
        {t('previous')}
      </button>
      <span>
        {t('pageOf', { page: pageNo, pages })} · {t('totalItems', { count: total })}
      </span>
      <button type="button" className="btn" disabled={pageNo >= pages} onClick={() => onChange(pageNo + 1)}>
        {t('next')}
      </button>
    </nav>
  );
}
