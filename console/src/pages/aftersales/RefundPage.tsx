import { getRouteApi, Link } from '@tanstack/react-router';
import { useDeveloper } from '../../api';
import { PageHeader } from '../../ui/page';
import { Empty } from '../../ui/states';
import { AlibabaRefundView } from './AlibabaRefund';
import { useAftersalesMessages } from './messages';
import { platformLabel, RefreshButton } from './shared';
import { TaobaoRefundView } from './TaobaoRefund';

const route = getRouteApi('/dev/refunds/$platform/$refundId');

/** `/dev/refunds/$platform/$refundId`: one refund of either marketplace. */
export function RefundPage() {
  const { t } = useAftersalesMessages();
  const { devKey } = useDeveloper();
  const { platform, refundId } = route.useParams();
  const known = (platform === 'taobao' || platform === '1688') && /^(TQ)?[0-9]{1,20}$/.test(refundId);
  return (
    <>
      <PageHeader
        title={t('refundTitle', { id: refundId })}
        actions={
          <>
            {known && <RefreshButton queryKey={devKey('aftersales', 'refund', platform, refundId)} />}
            <Link className="btn" to="/dev/refunds" search={platform === '1688' ? { platform: '1688' } : {}}>
              {t('backToRefunds')}
            </Link>
          </>
        }
      >
        {known && <p className="as-muted">{platformLabel(t, platform)}</p>}
      </PageHeader>
      {!known ? (
        <Empty>{t('unknownRefund')}</Empty>
      ) : platform === '1688' ? (
        <AlibabaRefundView refundId={refundId} />
      ) : (
        <TaobaoRefundView refundId={refundId} />
      )}
    </>
  );
}
