import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';

/**
 * The console's languages, picked from the browser's preferences at first visit and switchable (the choice is kept
 * in this browser). Each part of the console declares its own messages with {@link defineMessages}: one namespace
 * per part, every language required by the types, loaded with the part's code.
 */
export const LANGUAGES = ['en', 'zh', 'vi', 'th', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  zh: '中文',
  vi: 'Tiếng Việt',
  th: 'ไทย',
  es: 'Español',
};

/** The server's answers (`msg`) come in the language of the `Accept-Language` the SDK sends. */
const STORAGE_KEY = 'ponte.language';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The stored choice, else the first of the browser's languages the console has, else English. */
export function detectLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // storage refused (private mode): fall through to the browser's preferences
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** Switches the console's language and remembers it in this browser. */
export async function setLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not kept: the switch still applies to this page
  }
  await i18next.changeLanguage(language);
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}

i18next.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

void i18next.use(initReactI18next).init({
  lng: detectLanguage(),
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  resources: {},
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
});
document.documentElement.lang = currentLanguage();

type PluralSuffix = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
/** A key as `t` takes it: as written, or a plural key without its suffix (`items` for `items_one`/`items_other`). */
type KeyOf<M> =
  | (keyof M & string)
  | (keyof M & string extends infer K ? (K extends `${infer B}_${PluralSuffix}` ? B : never) : never);

/** Values of a message's `{{placeholders}}`; `count` also picks the plural form. */
export type MessageValues = Record<string, string | number>;

/** One part's messages: English is the source; every other language must have every key. */
export type MessageSet<E extends Record<string, string>> = { en: E } & Record<
  Exclude<Language, 'en'>,
  Record<keyof E, string>
>;

/**
 * Registers a part's messages under its namespace and returns the hook its components translate with:
 * `const { t } = useMessages(); t('title')`, `t('items', { count: 3 })`.
 */
export function defineMessages<const E extends Record<string, string>>(namespace: string, messages: MessageSet<E>) {
  for (const language of LANGUAGES) i18next.addResourceBundle(language, namespace, messages[language], true, true);
  return function useMessages() {
    const { t, i18n } = useTranslation(namespace);
    return {
      t: (key: KeyOf<E>, values?: MessageValues): string => t(key, values ?? {}) as string,
      language: (isLanguage(i18n.language) ? i18n.language : 'en') as Language,
    };
  };
}
