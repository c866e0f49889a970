import { useNav } from '../../i18n/nav';
import { PageHeader } from '../../ui/page';

export function OrdersPage() {
  const { t } = useNav();
  return <PageHeader title={t('orders')} />;
}
