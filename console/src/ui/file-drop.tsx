import { type ClipboardEvent, type DragEvent, useId, useState } from 'react';
import { useCommon } from '../i18n/common';
import { byteSize, type PickedPicture, readPicture } from './files';

/**
 * Picks a picture by drag-and-drop, by pasting (anywhere in the zone once focused), or with the file chooser; keyboard
 * users reach the chooser with Tab. Calls `onPicture` with the picture read, or shows why it was refused.
 */
export function FileDrop({
  label,
  onPicture,
  maxBytes = 3 * 1024 * 1024,
  preview,
  testId,
}: {
  label: string;
  onPicture: (picture: PickedPicture) => void;
  maxBytes?: number;
  preview?: string | undefined;
  testId?: string;
}) {
  const { t } = useCommon();
  const id = useId();
  const [over, setOver] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const take = async (file: File | null | undefined) => {
    if (!file) return;
    if (!file.type.startsWith('image/')) return setProblem(t('fileNotPicture'));
    if (file.size > maxBytes) return setProblem(t('fileTooLarge', { limit: byteSize(maxBytes) }));
    setProblem(null);
    onPicture(await readPicture(file));
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void take(e.dataTransfer.files[0]);
  };
  const onPaste = (e: ClipboardEvent) => {
    const file = Array.from(e.clipboardData.files)[0];
    if (file) {
      e.preventDefault();
      void take(file);
    }
  };

  return (
    // The zone takes drops and pastes; its file input is the keyboard's way in.
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target; the input inside is the accessible control
    <div
      className={`file-drop${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      onPaste={onPaste}
      data-testid={testId}
    >
      <label htmlFor={id} className="file-drop-label">
        <strong>{label}</strong>
        <span>{t('dropOrPaste')}</span>
      </label>
      <input id={id} type="file" accept="image/*" onChange={(e) => void take(e.target.files?.[0])} />
      {preview && <img className="file-drop-preview" src={preview} alt="" />}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
