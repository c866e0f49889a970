import { useNav } from '../../i18n/nav';
import { PageHeader } from '../../ui/page';

export function WarehousePage() {
  const { t } = useNav();
  return <PageHeader title={t('warehouse')} />;
}
