import { Link, useParams } from '@tanstack/react-router';
import { PageHeader } from '../../ui/page';
import { Empty } from '../../ui/states';
import { AlibabaOrderView } from './AlibabaOrder';
import { useBuyingMessages } from './messages';
import { TaobaoOrderView } from './TaobaoOrder';

/** One order of either platform: its lines, amounts, timeline, domestic parcels and what can be done with it now. */
export function OrderPage() {
  const { t } = useBuyingMessages();
  const { platform, orderId } = useParams({ from: '/dev/orders/$platform/$orderId' });
  if ((platform !== 'taobao' && platform !== '1688') || !/^[0-9]{1,20}$/.test(orderId)) {
    return (
      <>
        <PageHeader title={t('orderTitle')} />
        <Empty>{t('orderUnknown')}</Empty>
        <Link to="/dev/orders">{t('backToOrders')}</Link>
      </>
    );
  }
  return platform === 'taobao' ? <TaobaoOrderView orderId={orderId} /> : <AlibabaOrderView orderId={orderId} />;
}
