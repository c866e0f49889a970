import type { RateCardImport } from '@ponte/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { type ChangeEvent, type FormEvent, useEffect, useMemo, useState } from 'react';
import { isApiError, useOperator } from '../../api';
import { Badge, Facts, Field, PageHeader, Section, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { csvErrorAt, parseCsv } from './csv';
import { useOperationsMessages } from './messages';
import { Done } from './shared';

const ROWS_PER_PAGE = 25;
/** What the API takes at most. */
const MAX_CSV_CHARS = 4_000_000;

/** The freight rate cards: the channels in use as CSV to read and download, and an edited CSV to put in their place. */
export function FreightPage() {
  const { t } = useOperationsMessages();
  const [draft, setDraft] = useState('');
  return (
    <>
      <PageHeader title={t('freightTitle')}>
        <p>{t('freightIntro')}</p>
      </PageHeader>
      <ExportSection onEdit={setDraft} />
      <ImportSection draft={draft} setDraft={setDraft} />
    </>
  );
}

/** A link that downloads `text` as a file, through a Blob URL released when the text changes or the page goes. */
function useDownloadUrl(text: string | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (text === undefined) return;
    const next = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [text]);
  return url;
}

function ExportSection({ onEdit }: { onEdit: (csv: string) => void }) {
  const { t } = useOperationsMessages();
  const { client, opKey } = useOperator();
  const search = useSearch({ from: '/op/freight' });
  const navigate = useNavigate({ from: '/op/freight' });
  const exported = useQuery({
    queryKey: opKey('operations', 'freight', 'export'),
    queryFn: () => client.freight.exportChannels(),
  });
  const url = useDownloadUrl(exported.data?.csv);
  const rows = useMemo(() => (exported.data ? parseCsv(exported.data.csv) : []), [exported.data]);
  const [header, ...body] = rows;
  const pageRows = body.slice((search.page - 1) * ROWS_PER_PAGE, search.page * ROWS_PER_PAGE);

  return (
    <Section
      title={t('rateCards')}
      actions={
        exported.data && (
          <div className="page-actions">
            {url && (
              <a className="btn" href={url} download="ponte-rate-cards.csv">
                {t('downloadCsv')}
              </a>
            )}
            <button type="button" className="btn" onClick={() => onEdit(exported.data.csv)}>
              {t('editCsv')}
            </button>
          </div>
        )
      }
    >
      <QueryView query={exported}>
        {(data) => (
          <>
            <Facts
              items={[
                [
                  t('source'),
                  <Badge key="s" tone={data.source === 'sample' ? 'warn' : 'good'}>
                    {t(data.source === 'sample' ? 'sourceSample' : 'sourceOperator')}
                  </Badge>,
                ],
                [t('channels'), String(data.channels)],
              ]}
            />
            {!header || body.length === 0 ? (
              <Empty>{t('noChannels')}</Empty>
            ) : (
              <>
                <Table label={t('rateCards')}>
                  <thead>
                    <tr>
                      {header.map((h) => (
                        <th key={h} scope="col">
                          {h}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {pageRows.map((r, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: rows are the CSV's, in its order
                      <tr key={i}>
                        {header.map((h, j) => (
                          <td
                            key={h}
                            className={/^[0-9]+$/.test(r[j] ?? '') ? 'num' : undefined}
                            style={{ whiteSpace: 'nowrap' }}
                          >
                            {r[j] ?? ''}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </Table>
                <Pager
                  pageNo={search.page}
                  pageSize={ROWS_PER_PAGE}
                  total={body.length}
                  onChange={(page) => void navigate({ search: { page } })}
                />
              </>
            )}
          </>
        )}
      </QueryView>
    </Section>
  );
}

function ImportSection({ draft, setDraft }: { draft: string; setDraft: (csv: string) => void }) {
  const { t } = useOperationsMessages();
  const { client, opKey } = useOperator();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<RateCardImport | null>(null);
  const importing = useMutation({
    mutationFn: (csv: string) => client.freight.importChannels(csv),
    onSuccess: async (r) => {
      setResult(r);
      await queryClient.invalidateQueries({ queryKey: opKey('operations', 'freight') });
    },
  });
  const at = importing.isError && isApiError(importing.error) ? csvErrorAt(importing.error.msg) : null;
  const line = at ? draft.split(/\r?\n/)[at.row - 1] : undefined;

  const pickFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    if (file.size > MAX_CSV_CHARS) return setProblem(t('csvTooLong'));
    setProblem(null);
    setDraft(await file.text());
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    if (draft.trim() === '') return setProblem(t('csvEmpty'));
    if (draft.length > MAX_CSV_CHARS) return setProblem(t('csvTooLong'));
    setProblem(null);
    importing.mutate(draft);
  };

  return (
    <Section title={t('importTitle')}>
      <p>{t('importHint')}</p>
      <form onSubmit={submit} noValidate>
        <Field label={t('csvFile')}>
          <input type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void pickFile(e)} />
        </Field>
        <Field label={t('csvText')} error={problem}>
          <textarea
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            rows={10}
            spellCheck={false}
            style={{ fontFamily: 'ui-monospace, monospace' }}
          />
        </Field>
        {importing.isError && <ErrorView error={importing.error} />}
        {at && (
          <div className="field-error" role="alert">
            <p>{t('csvErrorAt', { row: at.row, column: at.column })}</p>
            {line !== undefined && <pre>{line}</pre>}
          </div>
        )}
        {result && (
          <Done>{t('imported', { count: result.channels, countries: result.countries.join(', ') || '—' })}</Done>
        )}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={importing.isPending}>
            {importing.isPending ? t('importing') : t('importCsv')}
          </button>
        </div>
      </form>
    </Section>
  );
}
