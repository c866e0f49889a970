import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useDeveloper } from '../../api';
import { useCommon } from '../../i18n/common';
import { useAccountMessages } from './messages';

/** Whether requests act as the main account (some resources are the main account's only: 40301 otherwise). */
export function useIsMainAccount(): boolean {
  const { session } = useDeveloper();
  return session.userId === session.mainUserId;
}

/** Says that what follows belongs to the main account, with a button to act as it. */
export function MainAccountOnly({ what }: { what: string }) {
  const { t } = useAccountMessages();
  const { session, actAs } = useDeveloper();
  return (
    <div className="card" data-testid="main-account-only">
      <p>{t('mainAccountOnly', { what })}</p>
      <button type="button" className="btn btn-primary" onClick={() => actAs(session.mainUserId)}>
        {t('actAsMain')}
      </button>
    </div>
  );
}

/**
 * A button that asks before it acts: the first press shows the question with Confirm and Cancel (focus moves to
 * Confirm), the second runs `onConfirm`.
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  onConfirm,
  disabled,
  busy,
  danger,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  busy?: boolean;
  danger?: boolean;
}) {
  const { t: tc } = useCommon();
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const questionId = useId();
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button
        ref={opener}
        type="button"
        className={`btn${danger ? ' btn-danger' : ''}`}
        disabled={disabled || busy}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <fieldset className="confirm" aria-describedby={questionId}>
      <legend className="visually-hidden">{label}</legend>
      <p id={questionId}>{question}</p>
      <div className="form-actions">
        <button
          ref={confirm}
          type="button"
          className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
          disabled={busy}
          onClick={() => {
            setAsking(false);
            onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" className="btn" onClick={() => setAsking(false)}>
          {tc('cancel')}
        </button>
      </div>
    </fieldset>
  );
}

/** Copies a text to the clipboard, saying whether it worked (the browser may refuse: then select it by hand). */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const { t } = useAccountMessages();
  const [state, setState] = useState<'idle' | 'copied' | 'refused'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('refused');
    }
  };
  return (
    <span className="copy">
      <button type="button" className="btn btn-small" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className="field-hint">
        {state === 'copied' ? t('copied') : state === 'refused' ? t('copyRefused') : ''}
      </span>
    </span>
  );
}

/** A value as indented JSON. */
export function JsonBlock({ value, testId }: { value: unknown; testId?: string }) {
  return <pre data-testid={testId}>{value === undefined ? '' : JSON.stringify(value, null, 2)}</pre>;
}

/** A short explanation under a heading. */
export function Lead({ children }: { children: ReactNode }) {
  return <p className="field-hint">{children}</p>;
}
