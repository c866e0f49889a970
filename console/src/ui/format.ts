import { useMemo } from 'react';
import { type Language, useCurrentLanguage } from '../i18n/hooks';

const LOCALES: Record<Language, string> = { en: 'en-GB', zh: 'zh-CN', vi: 'vi-VN', th: 'th-TH', es: 'es-ES' };

/** Numbers, money and times in the console's language. Money is in fen (1/100 of a yuan) unless said otherwise. */
export function useFormat() {
  const language = useCurrentLanguage();
  return useMemo(() => {
    const locale = LOCALES[language];
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const number = new Intl.NumberFormat(locale);
    const moneyFormats = new Map<string, Intl.NumberFormat>();
    const moneyFormat = (currency: string) => {
      let f = moneyFormats.get(currency);
      if (!f) {
        f = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2 });
        moneyFormats.set(currency, f);
      }
      return f;
    };
    return {
      locale,
      /** An amount in fen (or cents) as money: `money(12345)` is ¥123.45. */
      money: (fen: number | string | bigint | null | undefined, currency = 'CNY') =>
        fen === null || fen === undefined || fen === '' ? '—' : moneyFormat(currency).format(Number(fen) / 100),
      /** An amount already in yuan (PandaPon's decimal strings such as `"12.50"`). */
      yuan: (value: number | string | null | undefined, currency = 'CNY') =>
        value === null || value === undefined || value === '' ? '—' : moneyFormat(currency).format(Number(value)),
      number: (n: number | string | null | undefined) =>
        n === null || n === undefined ? '—' : number.format(Number(n)),
      /** Epoch milliseconds, an ISO text, or PandaPon's `yyyy-MM-dd HH:mm:ss`. */
      dateTime: (value: number | string | null | undefined) => formatTime(value, dateTime),
      date: (value: number | string | null | undefined) => formatTime(value, date),
    };
  }, [language]);
}

function formatTime(value: number | string | null | undefined, format: Intl.DateTimeFormat): string {
  if (value === null || value === undefined || value === '') return '—';
  const ms =
    typeof value === 'number' || /^\d+$/.test(value)
      ? Number(value)
      : Date.parse(/^\d{4}-\d\d-\d\d \d/.test(value) ? `${value.replace(' ', 'T')}+08:00` : value);
  return Number.isNaN(ms) ? String(value) : format.format(ms);
}
