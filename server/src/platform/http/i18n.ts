export const LANGUAGES = ['en', 'zh', 'vi', 'th', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Text in every supported language. */
export type Translations = Record<Language, string>;

function isLanguage(v: string): v is Language {
  return (LANGUAGES as readonly string[]).includes(v);
}

/** The supported language a value names (`vi`, `zh-CN`, `ES`), or undefined for anything else. */
export function languageOf(value: unknown): Language | undefined {
  if (typeof value !== 'string') return undefined;
  const primary = value.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return isLanguage(primary) ? primary : undefined;
}

/**
 * The request's language: an explicit `language` parameter wins, then the first supported
 * tag of `Accept-Language` (by q-value), else English.
 */
export function pickLanguage(explicit: unknown, acceptLanguage: string | undefined): Language {
  const named = languageOf(explicit);
  if (named) return named;
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((x) => Number.isFinite(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) if (isLanguage(tag)) return tag;
  return 'en';
}

/** Replaces `{name}` placeholders with values. */
export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
