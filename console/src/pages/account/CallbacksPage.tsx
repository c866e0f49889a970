import type { CallbackSettings } from '@ponte/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useDeveloper } from '../../api';
import { useNav } from '../../i18n/nav';
import { useFormat } from '../../ui/format';
import { Badge, Facts, Field, PageHeader, Section } from '../../ui/page';
import { ErrorView, QueryView } from '../../ui/states';
import './account.css';
import { ConfirmAction, CopyButton } from '../../ui/actions';
import { useAccountMessages } from './messages';
import { Lead, MainAccountOnly, useIsMainAccount } from './parts';

/** How long the previous secret keeps signing after a rotation, as offered (seconds; the API's default is a day). */
const OVERLAPS = [0, 3_600, 86_400, 604_800] as const;

/** The callback URL, its delivery state and its signing secret (the main account's). */
export function CallbacksPage() {
  const { t } = useAccountMessages();
  const { t: tn } = useNav();
  const isMain = useIsMainAccount();
  return (
    <>
      <PageHeader title={tn('callbacks')}>
        <Lead>{t('callbacksLead')}</Lead>
      </PageHeader>
      {isMain ? <CallbackSettingsView /> : <MainAccountOnly what={tn('callbacks')} />}
    </>
  );
}

function CallbackSettingsView() {
  const { t } = useAccountMessages();
  const { client, devKey } = useDeveloper();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: devKey('callbacks'), queryFn: () => client.messages.callback.get() });
  /** A secret just made: shown until the user says it is kept, and never stored anywhere else. */
  const [secret, setSecret] = useState<{ value: string; secretId: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (url: string) => client.messages.callback.save(url),
    onSuccess: (s) => {
      if (s.callbackSecret) setSecret({ value: s.callbackSecret, secretId: s.secretId });
      setDone(t('urlSaved'));
      void queryClient.invalidateQueries({ queryKey: devKey('callbacks') });
      void queryClient.invalidateQueries({ queryKey: devKey('messages') });
    },
  });
  const rotate = useMutation({
    mutationFn: (overlapSeconds: number) => client.messages.callback.rotateSecret({ overlapSeconds }),
    onSuccess: (s) => {
      if (s.callbackSecret) setSecret({ value: s.callbackSecret, secretId: s.secretId });
      setDone(t('secretRotated'));
      void queryClient.invalidateQueries({ queryKey: devKey('callbacks') });
    },
  });

  return (
    <>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {secret && <NewSecret secret={secret.value} secretId={secret.secretId} onKept={() => setSecret(null)} />}
      <QueryView query={settings}>
        {(s) => (
          <>
            <UrlForm
              current={s}
              busy={save.isPending}
              onSave={(url) => {
                setDone(null);
                save.mutate(url);
              }}
            />
            {save.isError && <ErrorView error={save.error} />}
            <DeliveryState settings={s} />
            {s && (
              <SecretSection
                settings={s}
                busy={rotate.isPending}
                onRotate={(overlap) => {
                  setDone(null);
                  rotate.mutate(overlap);
                }}
                error={rotate.isError ? rotate.error : null}
              />
            )}
          </>
        )}
      </QueryView>
    </>
  );
}

function UrlForm({
  current,
  busy,
  onSave,
}: {
  current: CallbackSettings | null;
  busy: boolean;
  onSave: (url: string) => void;
}) {
  const { t } = useAccountMessages();
  const [url, setUrl] = useState(current?.url ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = url.trim();
    if (!/^https?:\/\/\S+$/i.test(value)) {
      setProblem(t('urlInvalid'));
      return;
    }
    setProblem(null);
    onSave(value);
  };
  return (
    <Section title={t('urlTitle')}>
      <form onSubmit={submit} noValidate>
        <Field label={t('callbackUrl')} hint={t('callbackUrlHint')} error={problem}>
          <input
            type="url"
            name="callbackUrl"
            inputMode="url"
            maxLength={2048}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://example.com/ponte/callbacks"
            aria-invalid={problem ? true : undefined}
          />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('verifying') : t('saveUrl')}
          </button>
        </div>
      </form>
    </Section>
  );
}

function DeliveryState({ settings }: { settings: CallbackSettings | null }) {
  const { t } = useAccountMessages();
  const { dateTime } = useFormat();
  if (!settings) {
    return (
      <Section title={t('deliveryTitle')}>
        <p data-testid="delivery-state">
          <Badge tone="warn">{t('noUrl')}</Badge> {t('noUrlText')}
        </p>
      </Section>
    );
  }
  const reason =
    settings.disabledReason === 'gone'
      ? t('disabledGone')
      : settings.disabledReason === 'failing'
        ? t('disabledFailing')
        : settings.disabledReason;
  return (
    <Section title={t('deliveryTitle')}>
      <Facts
        items={[
          [t('callbackUrl'), <code key="url">{settings.url}</code>],
          [
            t('state'),
            <span key="state" data-testid="delivery-state">
              {settings.enabled ? <Badge tone="good">{t('enabled')}</Badge> : <Badge tone="bad">{t('disabled')}</Badge>}
            </span>,
          ],
          ...(settings.enabled
            ? []
            : ([
                [t('disabledWhy'), reason ?? '—'],
                [t('disabledSince'), dateTime(settings.disabledTime)],
              ] as [string, string][])),
          [t('verifiedTime'), dateTime(settings.verifiedTime)],
        ]}
      />
      {!settings.enabled && (
        <p>
          {t('disabledHelp')}{' '}
          <Link to="/dev/messages" search={{ status: 'held' }}>
            {t('seeHeld')}
          </Link>
        </p>
      )}
    </Section>
  );
}

function SecretSection({
  settings,
  busy,
  onRotate,
  error,
}: {
  settings: CallbackSettings;
  busy: boolean;
  onRotate: (overlapSeconds: number) => void;
  error: unknown;
}) {
  const { t } = useAccountMessages();
  const { dateTime } = useFormat();
  const [overlap, setOverlap] = useState<number>(86_400);
  const overlapLabel = (s: number) =>
    s === 0 ? t('overlapNone') : s === 3_600 ? t('overlapHour') : s === 86_400 ? t('overlapDay') : t('overlapWeek');
  return (
    <Section title={t('secretTitle')}>
      <Facts
        items={[
          [
            t('secretId'),
            <code key="id" data-testid="secret-id">
              {settings.secretId}
            </code>,
          ],
          [
            t('previousSecret'),
            settings.previousSecretId ? (
              <span key="prev">
                <code>{settings.previousSecretId}</code>{' '}
                {t('previousUntil', { time: dateTime(settings.previousSecretExpireTime) })}
              </span>
            ) : (
              t('previousNone')
            ),
          ],
        ]}
      />
      <p className="field-hint">{t('rotateHelp')}</p>
      <div className="form-row">
        <Field label={t('overlap')}>
          <select value={overlap} onChange={(e) => setOverlap(Number(e.target.value))} name="overlapSeconds">
            {OVERLAPS.map((s) => (
              <option key={s} value={s}>
                {overlapLabel(s)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ConfirmAction
        label={t('rotate')}
        question={t('rotateQuestion', { overlap: overlapLabel(overlap) })}
        confirmLabel={t('rotateConfirm')}
        pending={busy}
        onConfirm={() => onRotate(overlap)}
      />
      {error !== null && <ErrorView error={error} />}
    </Section>
  );
}

/** A signing secret just made: the only time it is shown. */
function NewSecret({ secret, secretId, onKept }: { secret: string; secretId: string; onKept: () => void }) {
  const { t } = useAccountMessages();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card secret-once" aria-labelledby="new-secret-title" data-testid="new-secret-panel">
      <h2 id="new-secret-title" ref={heading} tabIndex={-1}>
        {t('newSecretTitle')}
      </h2>
      <p className="warning">{t('newSecretWarning', { secretId })}</p>
      <p>
        <code className="secret" data-testid="new-secret">
          {secret}
        </code>
      </p>
      <div className="form-actions">
        <CopyButton text={secret} label={t('copySecret')} />
        <button type="button" className="btn" onClick={onKept}>
          {t('secretKeptButton')}
        </button>
      </div>
    </section>
  );
}
