import { useQuery } from '@tanstack/react-query';
import { createRoute, lazyRouteComponent, Outlet, redirect, useNavigate } from '@tanstack/react-router';
import { DeveloperProvider, OperatorProvider, useDeveloper, useOperator } from '../api';
import { useCommon } from '../i18n/common';
import { useNav } from '../i18n/nav';
import { developerSession, operatorSession } from '../session';
import { type NavItem, Shell } from '../ui/shell';
import { rootRoute } from './root';

const nextSearch = (search: Record<string, unknown>): { next?: string } =>
  typeof search.next === 'string' ? { next: search.next } : {};

export const developerSignInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'sign-in',
  validateSearch: nextSearch,
  component: lazyRouteComponent(() => import('../pages/sign-in/DeveloperSignIn'), 'DeveloperSignIn'),
});

export const operatorSignInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'operator/sign-in',
  validateSearch: nextSearch,
  component: lazyRouteComponent(() => import('../pages/sign-in/OperatorSignIn'), 'OperatorSignIn'),
});

/** The sub-accounts the developer can act as (all of them for the main account), switchable in the header. */
function SubAccountSwitch() {
  const { client, session, actAs } = useDeveloper();
  const { t } = useCommon();
  const users = useQuery({
    queryKey: ['dev', session.accessKey, 'sub-accounts'],
    queryFn: () => client.users.list({ pageNo: 1, pageSize: 50 }, { userId: session.mainUserId }),
  });
  const list = users.data?.list ?? [];
  return (
    <label className="acting-as">
      <span>{t('actingAs')}</span>
      <select value={session.userId} onChange={(e) => actAs(e.target.value)} data-testid="acting-as">
        {list.length === 0 && <option value={session.userId}>{session.userId}</option>}
        {list.map((u) => (
          <option key={u.userId} value={u.userId}>
            {u.name || u.userId}
            {u.mainAccount ? ' ★' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

function DeveloperLayout() {
  const navigate = useNavigate();
  const { t } = useNav();
  const { t: tc } = useCommon();
  const nav: NavItem[] = [
    { to: '/dev', label: t('overview'), exact: true },
    { to: '/dev/goods', label: t('goods') },
    { to: '/dev/cart', label: t('cart') },
    { to: '/dev/orders', label: t('orders') },
    { to: '/dev/addresses', label: t('addresses') },
    { to: '/dev/refunds', label: t('refunds') },
    { to: '/dev/warehouse', label: t('warehouse') },
    { to: '/dev/parcels', label: t('parcels') },
    { to: '/dev/balance', label: t('balance') },
    { to: '/dev/callbacks', label: t('callbacks') },
    { to: '/dev/messages', label: t('messages') },
    { to: '/dev/users', label: t('users') },
    { to: '/dev/explorer', label: t('explorer') },
  ];
  return (
    <DeveloperProvider onSignOut={() => void navigate({ to: '/sign-in' })}>
      <DeveloperShell nav={nav} area={tc('portal')} />
    </DeveloperProvider>
  );
}

function DeveloperShell({ nav, area }: { nav: NavItem[]; area: string }) {
  const { signOut } = useDeveloper();
  return (
    <Shell area={area} nav={nav} extra={<SubAccountSwitch />} onSignOut={signOut}>
      <Outlet />
    </Shell>
  );
}

export const developerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'dev',
  beforeLoad: ({ location }) => {
    if (!developerSession.get()) throw redirect({ to: '/sign-in', search: { next: location.href } });
  },
  component: DeveloperLayout,
});

function OperatorLayout() {
  const navigate = useNavigate();
  const { t } = useNav();
  const { t: tc } = useCommon();
  const nav: NavItem[] = [
    { to: '/op', label: t('dashboard'), exact: true },
    { to: '/op/developers', label: t('developers') },
    { to: '/op/vouchers', label: t('vouchers') },
    { to: '/op/orders', label: t('orders') },
    { to: '/op/refunds', label: t('refunds') },
    { to: '/op/warehouse', label: t('warehouse') },
    { to: '/op/shipments', label: t('shipments') },
    { to: '/op/freight', label: t('freight') },
    { to: '/op/callbacks', label: t('deliveries') },
    { to: '/op/sandbox', label: t('sandbox') },
  ];
  return (
    <OperatorProvider onSignOut={() => void navigate({ to: '/operator/sign-in' })}>
      <OperatorShell nav={nav} area={tc('operator')} />
    </OperatorProvider>
  );
}

function OperatorShell({ nav, area }: { nav: NavItem[]; area: string }) {
  const { signOut } = useOperator();
  return (
    <Shell area={area} nav={nav} onSignOut={signOut}>
      <Outlet />
    </Shell>
  );
}

export const operatorRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'op',
  beforeLoad: ({ location }) => {
    if (!operatorSession.get()) throw redirect({ to: '/operator/sign-in', search: { next: location.href } });
  },
  component: OperatorLayout,
});
