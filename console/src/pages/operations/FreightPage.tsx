import { useNav } from '../../i18n/nav';
import { PageHeader } from '../../ui/page';

export function FreightPage() {
  const { t } = useNav();
  return <PageHeader title={t('freight')} />;
}
