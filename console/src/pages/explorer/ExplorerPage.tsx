import {
  encodeQuery,
  newNonce,
  PonteClient,
  type Query,
  rfc3986,
  type SignedRequest,
  signRequestWithCanonical,
} from '@ponte/sdk';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useDeveloper } from '../../api';
import { useNav } from '../../i18n/nav';
import { apiBase, type DeveloperSession } from '../../session';
import { Badge, Facts, Field, PageHeader, Section, Table } from '../../ui/page';
import { ErrorView, QueryView } from '../../ui/states';
import './explorer.css';
import { useExplorerMessages } from './messages';
import {
  exampleOf,
  groupByTag,
  matches,
  type OpenApiDocument,
  type Operation,
  operationsOf,
  type Parameter,
} from './openapi';

/** Reads the server's OpenAPI document (same origin, no signature) and keeps the operations a developer signs. */
async function loadOperations(): Promise<Operation[]> {
  const res = await fetch(new URL('/openapi.json', apiBase()), { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET /openapi.json: HTTP ${res.status}`);
  return operationsOf((await res.json()) as OpenApiDocument);
}

/** A request ready to sign: the path with its parameters filled in, the query and the body. */
interface Prepared {
  method: string;
  path: string;
  query: Query;
  body: unknown;
}

/** What went over the wire, recorded by the client's `fetch`. */
interface Exchange {
  sent: { method: string; url: string; headers: Record<string, string>; body: string };
  signed: SignedRequest | null;
  answer: { status: number; text: string };
}

/** The URL the SDK sends for a prepared request (its query encoded as the SDK encodes it): what is signed. */
function pathAndQuery(req: Prepared): string {
  const query = encodeQuery(req.query);
  const url = new URL(`${apiBase()}${req.path}${query ? `?${query}` : ''}`);
  return url.pathname + url.search;
}

/** Sends one signed request through the SDK and records it as sent and as answered, error answers included. */
async function exchange(session: DeveloperSession, req: Prepared): Promise<Exchange> {
  const seen: { sent?: Exchange['sent']; signed?: SignedRequest; answer?: Exchange['answer'] } = {};
  const decoder = new TextDecoder();
  const client = new PonteClient({
    baseUrl: apiBase(),
    accessKey: session.accessKey,
    accessSecret: session.accessSecret,
    userId: session.userId,
    webCrypto: true,
    maxRetries: 0,
    onSigned: (signed) => {
      seen.signed = signed;
    },
    fetch: async (input, init) => {
      seen.sent = {
        method: init?.method ?? 'GET',
        url: String(input),
        headers: { ...(init?.headers as Record<string, string> | undefined) },
        body: init?.body instanceof Uint8Array ? decoder.decode(init.body) : '',
      };
      const res = await fetch(input, init);
      seen.answer = { status: res.status, text: await res.clone().text() };
      return res;
    },
  });
  try {
    await client.request(req.method, req.path, {
      query: req.query,
      ...(req.body === undefined ? {} : { body: req.body }),
    });
  } catch (err) {
    // An error answer is shown as the answer; only a request that got none is a failure of the page.
    if (!seen.answer) throw err;
  }
  if (!seen.sent || !seen.answer) throw new Error('the request was not sent');
  return { sent: seen.sent, signed: seen.signed ?? null, answer: seen.answer };
}

/** The API explorer: every operation a developer signs, sent from the browser with the session's key. */
export function ExplorerPage() {
  const { t } = useExplorerMessages();
  const { t: tn } = useNav();
  const search = useSearch({ from: '/dev/explorer' });
  const operations = useQuery({
    queryKey: ['explorer', 'operations'],
    queryFn: loadOperations,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <>
      <PageHeader title={tn('explorer')}>
        <p className="field-hint">{t('intro')}</p>
      </PageHeader>
      <QueryView query={operations}>
        {(ops) => {
          const op = ops.find((o) => o.id === search.op);
          return (
            <div className="explorer">
              <OperationList operations={ops} filter={search.q ?? ''} selected={search.op} />
              <div className="explorer-main">
                {op ? (
                  <OperationPanel key={op.id} op={op} />
                ) : (
                  <Section title={t('pickTitle')}>
                    <p>{search.op ? t('unknownOperation', { id: search.op }) : t('pick')}</p>
                  </Section>
                )}
              </div>
            </div>
          );
        }}
      </QueryView>
    </>
  );
}

function OperationList({
  operations,
  filter,
  selected,
}: {
  operations: Operation[];
  filter: string;
  selected: string | undefined;
}) {
  const { t } = useExplorerMessages();
  const navigate = useNavigate({ from: '/dev/explorer' });
  const [value, setValue] = useState(filter);
  const headingId = useId();
  const groups = groupByTag(operations.filter((op) => matches(op, value)));
  return (
    <nav className="card explorer-ops" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('operations')}</h2>
      <Field label={t('filter')} hint={t('filterHint')}>
        <input
          type="search"
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            void navigate({ search: (s) => ({ ...s, q: e.target.value || undefined }), replace: true });
          }}
        />
      </Field>
      {groups.length === 0 && <p className="empty">{t('noMatch')}</p>}
      {groups.map((g) => (
        <div key={g.tag}>
          <h3>{g.tag}</h3>
          <ul className="op-list">
            {g.operations.map((op) => (
              <li key={op.id}>
                <Link
                  to="/dev/explorer"
                  search={{ op: op.id, q: value || undefined }}
                  aria-current={op.id === selected ? 'page' : undefined}
                  data-operation={op.id}
                >
                  <span className="op-method">{op.method}</span> <span className="op-summary">{op.summary}</span>
                  <code className="op-path">{op.path}</code>
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

/** The form's starting values: path parameters and required query parameters from their examples. */
function initialValues(op: Operation): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of op.parameters) values[p.name] = p.required && p.example !== null ? p.example : '';
  return values;
}

function initialBody(op: Operation): string {
  if (!op.body) return '';
  const example = exampleOf(op.body.schema, true);
  return example === undefined ? '' : JSON.stringify(example, null, 2);
}

function OperationPanel({ op }: { op: Operation }) {
  const { t } = useExplorerMessages();
  const { session } = useDeveloper();
  const [values, setValues] = useState(() => initialValues(op));
  const [bodyText, setBodyText] = useState(() => initialBody(op));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  /** The request the form describes, or null (with the problems shown) when it cannot be signed. */
  const prepare = (): Prepared | null => {
    const found: Record<string, string> = {};
    let path = op.path;
    const query: Query = {};
    for (const p of op.parameters) {
      const v = (values[p.name] ?? '').trim();
      if (p.in === 'path') {
        if (!v) found[p.name] = t('pathRequired', { name: p.name });
        path = path.replace(`{${p.name}}`, rfc3986(v));
      } else if (v !== '') {
        query[p.name] = v;
      }
    }
    let body: unknown;
    if (op.body && bodyText.trim() !== '') {
      try {
        body = JSON.parse(bodyText);
      } catch (err) {
        found['request body'] = t('bodyInvalid', { reason: err instanceof Error ? err.message : String(err) });
      }
    }
    setProblems(found);
    return Object.keys(found).length > 0 ? null : { method: op.method, path, query, body };
  };

  const send = useMutation({ mutationFn: (req: Prepared) => exchange(session, req) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const req = prepare();
    if (req) send.mutate(req);
  };
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');

  return (
    <>
      <section className="card" aria-labelledby="operation-title">
        <div className="card-head">
          <h2 id="operation-title" ref={heading} tabIndex={-1}>
            {op.summary}
          </h2>
        </div>
        <p className="op-line">
          <Badge>{op.method}</Badge> <code data-testid="operation-path">{op.path}</code>
        </p>
        <Facts
          items={[
            [t('operationId'), <code key="id">{op.id}</code>],
            [t('tag'), op.tag],
          ]}
        />
        {op.description && <p className="op-description">{op.description}</p>}
        <form onSubmit={submit} noValidate>
          <h3>{t('parameters')}</h3>
          {op.parameters.length === 0 && <p className="field-hint">{t('noParameters')}</p>}
          {[...pathParams, ...queryParams].map((p) => (
            <ParameterField
              key={`${p.in}:${p.name}`}
              param={p}
              value={values[p.name] ?? ''}
              error={problems[p.name]}
              onChange={(v) => setValues((vs) => ({ ...vs, [p.name]: v }))}
            />
          ))}
          {op.body && (
            <>
              <Field
                label={op.body.required ? `${t('body')} (${t('required')})` : t('body')}
                hint={t('bodyHint')}
                error={problems['request body']}
              >
                <textarea
                  className="json-editor"
                  value={bodyText}
                  onChange={(e) => setBodyText(e.target.value)}
                  rows={Math.min(24, Math.max(6, bodyText.split('\n').length + 1))}
                  spellCheck={false}
                  autoCapitalize="off"
                  autoCorrect="off"
                  name="body"
                />
              </Field>
              <button type="button" className="btn btn-small" onClick={() => setBodyText(initialBody(op))}>
                {t('resetExample')}
              </button>
            </>
          )}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={send.isPending}>
              {send.isPending ? t('sending') : t('send')}
            </button>
          </div>
        </form>
      </section>
      {send.isError && <ErrorView error={send.error} />}
      {send.data && <ExchangeView exchange={send.data} />}
      <OfflineSigner session={session} prepare={prepare} />
    </>
  );
}

function ParameterField({
  param: p,
  value,
  error,
  onChange,
}: {
  param: Parameter;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t } = useExplorerMessages();
  const label = `${p.name}${p.required ? ` (${t('required')})` : ''} · ${p.in === 'path' ? t('inPath') : t('inQuery')}`;
  return (
    <Field label={label} hint={p.description || undefined} error={error}>
      {p.choices ? (
        <select value={value} onChange={(e) => onChange(e.target.value)} name={p.name}>
          <option value="">{t('notSent')}</option>
          {p.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      ) : (
        <input
          value={value}
          onChange={(e) => onChange(e.target.value)}
          name={p.name}
          inputMode={p.type === 'integer' || p.type === 'number' ? 'numeric' : undefined}
          placeholder={p.example ?? undefined}
          spellCheck={false}
        />
      )}
    </Field>
  );
}

/** The envelope of an answer, when it is one. */
function envelopeOf(
  text: string,
): { requestId: string; code: number; developId: string; msg: string; data: unknown } | null {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    return typeof v === 'object' && v !== null && typeof v.code === 'number' && typeof v.msg === 'string'
      ? {
          requestId: String(v.requestId ?? ''),
          code: v.code,
          developId: String(v.developId ?? ''),
          msg: v.msg,
          data: v.data,
        }
      : null;
  } catch {
    return null;
  }
}

function HeadersTable({ headers, label, testId }: { headers: Record<string, string>; label: string; testId: string }) {
  const { t } = useExplorerMessages();
  return (
    <div data-testid={testId}>
      <Table label={label}>
        <thead>
          <tr>
            <th scope="col">{t('header')}</th>
            <th scope="col">{t('value')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(headers).map(([name, value]) => (
            <tr key={name}>
              <th scope="row">
                <code>{name}</code>
              </th>
              <td data-header={name}>
                <code>{value}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

function ExchangeView({ exchange: x }: { exchange: Exchange }) {
  const { t } = useExplorerMessages();
  const envelope = envelopeOf(x.answer.text);
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new answer is announced by moving focus to it
  useEffect(() => heading.current?.focus(), [x]);
  return (
    <>
      <section className="card" aria-labelledby="answer-title" data-testid="answer">
        <h2 id="answer-title" ref={heading} tabIndex={-1}>
          {t('answerTitle')}
        </h2>
        {envelope ? (
          <>
            <Facts
              items={[
                [
                  t('httpStatus'),
                  <span key="s" data-testid="answer-status">
                    {x.answer.status}
                  </span>,
                ],
                [
                  t('code'),
                  <span key="c" data-testid="answer-code">
                    <Badge tone={envelope.code === 200 ? 'good' : 'bad'}>{envelope.code}</Badge>
                  </span>,
                ],
                [
                  t('msg'),
                  <span key="m" data-testid="answer-msg">
                    {envelope.msg}
                  </span>,
                ],
                [
                  t('requestId'),
                  <code key="r" data-testid="answer-request-id">
                    {envelope.requestId || '—'}
                  </code>,
                ],
                [t('developId'), <code key="d">{envelope.developId || '—'}</code>],
              ]}
            />
            <h3>{t('data')}</h3>
            <pre data-testid="answer-data">{JSON.stringify(envelope.data, null, 2)}</pre>
          </>
        ) : (
          <>
            <p>
              {t('httpStatus')}: <span data-testid="answer-status">{x.answer.status}</span>
            </p>
            <p>{t('notEnvelope')}</p>
            <pre data-testid="answer-data">{x.answer.text}</pre>
          </>
        )}
      </section>
      <Section title={t('requestTitle')}>
        <p className="field-hint">{t('requestHint')}</p>
        <p className="op-line">
          <span data-testid="sent-method">
            <Badge>{x.sent.method}</Badge>
          </span>{' '}
          <code data-testid="sent-url">{x.sent.url}</code>
        </p>
        <h3>{t('headers')}</h3>
        <HeadersTable headers={x.sent.headers} label={t('headers')} testId="sent-headers" />
        <h3>{t('sentBody')}</h3>
        {x.sent.body ? <pre data-testid="sent-body">{x.sent.body}</pre> : <p className="field-hint">{t('noBody')}</p>}
        <h3>{t('canonicalTitle')}</h3>
        <p className="field-hint">{t('canonicalHint')}</p>
        <pre data-testid="canonical">{x.signed?.canonical ?? ''}</pre>
        <h3>{t('signature')}</h3>
        <p>
          <code data-testid="signature">{x.signed?.headers.signature ?? ''}</code>
        </p>
      </Section>
    </>
  );
}

const NONCE = /^[A-Za-z0-9_-]{8,64}$/;

/** The canonical string and signature for a timestamp and nonce of the user's choosing, computed here, not sent. */
function OfflineSigner({ session, prepare }: { session: DeveloperSession; prepare: () => Prepared | null }) {
  const { t } = useExplorerMessages();
  const [timestamp, setTimestamp] = useState(() => String(Date.now()));
  const [nonce, setNonce] = useState(() => newNonce());
  const [result, setResult] = useState<(SignedRequest & { url: string; body: string }) | null>(null);
  const badTimestamp = !/^\d{1,16}$/.test(timestamp.trim());
  const compute = (e: FormEvent) => {
    e.preventDefault();
    if (badTimestamp) return;
    const req = prepare();
    if (!req) return;
    const url = pathAndQuery(req);
    const body = req.body === undefined ? '' : JSON.stringify(req.body);
    const signed = signRequestWithCanonical({
      method: req.method,
      url,
      body: body === '' ? undefined : body,
      accessKey: session.accessKey,
      accessSecret: session.accessSecret,
      userId: session.userId,
      timestamp: Number(timestamp.trim()),
      nonce: nonce.trim(),
    });
    setResult({ ...signed, url, body });
  };
  return (
    <Section title={t('offlineTitle')}>
      <p className="field-hint">{t('offlineHint')}</p>
      <form onSubmit={compute} noValidate>
        <div className="form-row">
          <Field label={t('timestamp')} error={badTimestamp ? t('timestampInvalid') : null}>
            <input
              value={timestamp}
              onChange={(e) => setTimestamp(e.target.value)}
              inputMode="numeric"
              name="timestamp"
              spellCheck={false}
            />
          </Field>
          <Field label={t('nonce')} hint={NONCE.test(nonce.trim()) ? undefined : t('nonceInvalid')}>
            <input value={nonce} onChange={(e) => setNonce(e.target.value)} name="nonce" spellCheck={false} />
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            {t('compute')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setTimestamp(String(Date.now()));
              setNonce(newNonce());
            }}
          >
            {t('fresh')}
          </button>
        </div>
      </form>
      {result && (
        <div data-testid="offline-result">
          <p className="op-line">
            <Badge>{t('notSentBadge')}</Badge> <code data-testid="offline-url">{result.url}</code>
          </p>
          <h3>{t('canonicalTitle')}</h3>
          <pre data-testid="offline-canonical">{result.canonical}</pre>
          <h3>{t('signature')}</h3>
          <p>
            <code data-testid="offline-signature">{result.headers.signature}</code>
          </p>
          <h3>{t('systemHeaders')}</h3>
          <HeadersTable headers={result.headers} label={t('systemHeaders')} testId="offline-headers" />
        </div>
      )}
    </Section>
  );
}
