import { Link, type LinkProps, useRouterState } from '@tanstack/react-router';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useCommon } from '../i18n/common';
import { useCurrentLanguage } from '../i18n/hooks';
import { LANGUAGE_NAMES, LANGUAGES, type Language, setLanguage } from '../i18n/index';
import { useNav } from '../i18n/nav';

export interface NavItem {
  to: NonNullable<LinkProps['to']>;
  label: string;
  /** Exact match only (an area's home). */
  exact?: boolean;
}

/** The language switcher: a select naming each language in itself. */
export function LanguageSwitch() {
  const { t } = useCommon();
  const language = useCurrentLanguage();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('language')}</span>
      <select
        value={language}
        onChange={(e) => void setLanguage(e.target.value as Language)}
        aria-label={t('language')}
        data-testid="language"
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The frame of every signed-in page: a skip link, the header (area name, extra controls, language, sign-out), the
 * navigation (a menu button on narrow screens), and the page. Focus moves to the page's heading after navigation so
 * that keyboard and screen-reader users land on the new page.
 */
export function Shell({
  area,
  nav,
  extra,
  onSignOut,
  children,
}: {
  area: string;
  nav: NavItem[];
  extra?: ReactNode;
  onSignOut: () => void;
  children: ReactNode;
}) {
  const { t } = useCommon();
  const { t: tn } = useNav();
  const [open, setOpen] = useState(false);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each navigation, which `pathname` names
  useEffect(() => {
    setOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector('h1')?.setAttribute('tabindex', '-1');
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <button
          type="button"
          className="btn menu-button"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen((o) => !o)}
        >
          {t('menu')}
        </button>
        <span className="brand">
          Ponte <span className="brand-area">{area}</span>
        </span>
        <div className="topbar-tools">
          {extra}
          <LanguageSwitch />
          <button type="button" className="btn" onClick={onSignOut}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <div className="body">
        <nav id="main-nav" className={`sidenav${open ? ' open' : ''}`} aria-label={tn('mainNav')}>
          <ul>
            {nav.map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  activeOptions={{ exact: item.exact ?? false }}
                  activeProps={{ 'aria-current': 'page' }}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" ref={main}>
          {children}
        </main>
      </div>
    </div>
  );
}
