import { useEffect, useRef, useState } from 'react';
import { useCommon } from '../i18n/common';

/**
 * A button that asks before it acts: the first press shows the question with a confirming button (focused, so Enter
 * confirms) and Cancel; the confirming press runs `onConfirm`. For what cannot be undone or moves money.
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  onConfirm,
  pending = false,
  disabled = false,
  danger = false,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  /** The action is under way: both buttons wait. */
  pending?: boolean;
  disabled?: boolean;
  danger?: boolean;
}) {
  const { t } = useCommon();
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button
        type="button"
        className={`btn${danger ? ' btn-danger' : ''}`}
        disabled={disabled || pending}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <fieldset className="confirm">
      <legend>{question}</legend>
      <div className="form-actions">
        <button
          ref={confirm}
          type="button"
          className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
          disabled={pending}
          onClick={() => {
            setAsking(false);
            onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" className="btn" disabled={pending} onClick={() => setAsking(false)}>
          {t('cancel')}
        </button>
      </div>
    </fieldset>
  );
}

/** Copies a text to the clipboard and says whether it worked (browsers may refuse without a secure origin). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useCommon();
  const [state, setState] = useState<'idle' | 'copied' | 'refused'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
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
