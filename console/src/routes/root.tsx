import { createRootRoute, createRoute, Link, Outlet } from '@tanstack/react-router';
import { useCommon } from '../i18n/common';
import { LanguageSwitch } from '../ui/shell';

function NotFound() {
  const { t } = useCommon();
  return (
    <main id="main" className="centered">
      <h1>{t('notFound')}</h1>
      <Link to="/">{t('backHome')}</Link>
    </main>
  );
}

export const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFound });

function Home() {
  const { t } = useCommon();
  return (
    <main id="main" className="centered">
      <div className="welcome card">
        <div className="welcome-head">
          <h1>{t('welcome')}</h1>
          <LanguageSwitch />
        </div>
        <p>{t('welcomeText')}</p>
        <div className="welcome-links">
          <Link className="btn btn-primary" to="/sign-in">
            {t('portal')}
          </Link>
          <Link className="btn" to="/operator/sign-in">
            {t('operator')}
          </Link>
        </div>
      </div>
    </main>
  );
}

export const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: Home });
