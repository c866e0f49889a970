import { useEffect, useState } from 'react';
import type { MessageValues } from '../../i18n/index';
import { type AftersalesKey, useAftersalesMessages } from './messages';

/**
 * A confirmation to show once on the page a mutation navigates to (the request form goes to the new refund's page,
 * the booking to the parcel's): kept in memory only, and given to the first page at that path that asks for it.
 * It is kept as a message key, so that it follows a change of language.
 */
interface Flash {
  path: string;
  key: AftersalesKey;
  values?: MessageValues;
}

let pending: Flash | null = null;

export function setFlash(path: string, key: AftersalesKey, values?: MessageValues): void {
  pending = { path, key, ...(values ? { values } : {}) };
}

/** The confirmation left for `path`, in the console's language, if any; it is then gone for later visits. */
export function useFlash(path: string): string | null {
  const { t } = useAftersalesMessages();
  const [flash] = useState(() => (pending?.path === path ? pending : null));
  useEffect(() => {
    if (pending?.path === path) pending = null;
  }, [path]);
  return flash ? t(flash.key, flash.values) : null;
}
