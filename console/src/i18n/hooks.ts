import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from './index';

export type { Language } from './index';

/** The console's language, re-rendering when it is switched. */
export function useCurrentLanguage(): Language {
  const { i18n } = useTranslation();
  return (LANGUAGES as readonly string[]).includes(i18n.language) ? (i18n.language as Language) : 'en';
}
