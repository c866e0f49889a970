import type { Address, AlibabaCartList, AlibabaCartOrders, AlibabaCartPreview, TaobaoCartPreview } from '@ponte/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useDeveloper } from '../../api';
import { useFormat } from '../../ui/format';
import { Badge, Facts, Field, PageHeader, Section, Table } from '../../ui/page';
import { Empty, ErrorView, Loading, QueryView } from '../../ui/states';
import { alibabaLines, taobaoLines, useCarts } from './carts';
import { useBuyingMessages } from './messages';
import {
  AddressForm,
  addressLine,
  alibabaAddress,
  ProductCell,
  platformName,
  skuText,
  Title,
  taobaoAddress,
} from './parts';
import type { Platform } from './search';

interface Placed {
  platform: Platform;
  orderId: string;
  total: number;
}

/** What placing did: the orders made, 1688 suppliers refused, and a failure after the first order, if any. */
interface Outcome {
  orders: Placed[];
  failed: AlibabaCartOrders['failedOrderList'];
  error: unknown;
}

/**
 * Orders the cart lines chosen on the cart page: the receiving address (from the book, or added here), the
 * marketplaces' previews with their goods, shipping and totals, Taobao's consolidation warehouse and 1688's message
 * to the supplier, then one Taobao order and one 1688 order per supplier.
 */
export function CheckoutPage() {
  const { t, language } = useBuyingMessages();
  const { client, devKey } = useDeveloper();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const search = useSearch({ from: '/dev/checkout' });
  const { taobao: taobaoCart, alibaba: alibabaCart } = useCarts();
  const addresses = useQuery({
    queryKey: devKey('buying', 'addresses'),
    queryFn: () => client.addresses.list(),
  });
  const [picked, setPicked] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [warehouse, setWarehouse] = useState({ name: '', address: '' });
  const [message, setMessage] = useState('');
  const [placed, setPlaced] = useState<Outcome | null>(null);

  const asked = {
    taobao: search.taobao?.split(',') ?? [],
    alibaba: search.alibaba?.split(',') ?? [],
  };
  // Only lines still in the cart are previewed and ordered (one ordered already, or removed, is left out).
  const inCart = {
    taobao: taobaoCart.data ? new Set(taobaoLines(taobaoCart.data).valid.map((l) => l.id)) : null,
    alibaba: alibabaCart.data ? new Set(alibabaLines(alibabaCart.data).valid.map((l) => l.id)) : null,
  };
  const ids = {
    taobao: asked.taobao.filter((id) => inCart.taobao?.has(id)),
    alibaba: asked.alibaba.filter((id) => inCart.alibaba?.has(id)),
  };
  const gone =
    inCart.taobao && inCart.alibaba
      ? asked.taobao.length + asked.alibaba.length - ids.taobao.length - ids.alibaba.length
      : 0;

  const list = addresses.data ?? [];
  const address: Address | undefined =
    list.find((a) => a.id === picked) ?? (picked === null ? (list.find((a) => a.isDefault) ?? list[0]) : undefined);

  const taobaoPreview = useQuery({
    queryKey: devKey('buying', 'checkout', 'taobao', ids.taobao, address?.id ?? null, language),
    queryFn: () =>
      client.taobao.cart.preview({
        ids: ids.taobao,
        language,
        ...(address ? { orderAddress: taobaoAddress(address) } : {}),
      }),
    // Once the address book is read, so that the preview is asked for the address the order will go to.
    enabled: ids.taobao.length > 0 && !addresses.isPending && !placed,
  });
  const alibabaPreview = useQuery({
    queryKey: devKey('buying', 'checkout', '1688', ids.alibaba, address?.id ?? null, language),
    queryFn: () =>
      client.alibaba.cart.preview({
        cartIds: ids.alibaba,
        language,
        ...(address ? { addressParam: alibabaAddress(address) } : {}),
      }),
    enabled: ids.alibaba.length > 0 && !addresses.isPending && !placed,
  });

  const place = useMutation({
    mutationFn: async (to: Address): Promise<Outcome> => {
      const outcome: Outcome = { orders: [], failed: [], error: null };
      // Once an order is placed, a later failure is reported beside it rather than hiding it.
      const step = async (run: () => Promise<void>) => {
        try {
          await run();
        } catch (error) {
          if (outcome.orders.length === 0) throw error;
          outcome.error ??= error;
        }
      };
      if (ids.taobao.length > 0) {
        await step(async () => {
          const order = await client.taobao.cart.createOrder({
            ids: ids.taobao,
            orderAddress: taobaoAddress(to),
            language,
          });
          outcome.orders.push({ platform: 'taobao', orderId: order.orderId, total: order.totalPrice });
          if (warehouse.name.trim() && warehouse.address.trim()) {
            await client.taobao.orders.updateWarehouse({
              orderId: order.orderId,
              warehouseName: warehouse.name.trim(),
              warehouseAddress: warehouse.address.trim(),
            });
          }
        });
      }
      if (ids.alibaba.length > 0 && outcome.error === null) {
        await step(async () => {
          const made = await client.alibaba.cart.createOrder({
            cartIds: ids.alibaba,
            addressParam: alibabaAddress(to),
            flow: 'general',
            ...(message.trim() ? { message: message.trim() } : {}),
          });
          for (const o of made.successOrderList) {
            outcome.orders.push({ platform: '1688', orderId: o.orderId, total: o.totalSuccessAmount });
          }
          outcome.failed = made.failedOrderList;
        });
      }
      return outcome;
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: devKey('buying', 'cart') }),
        queryClient.invalidateQueries({ queryKey: devKey('buying', 'orders') }),
      ]),
    onSuccess: (outcome) => {
      setPlaced(outcome);
      const [only] = outcome.orders;
      if (only && outcome.orders.length === 1 && outcome.failed.length === 0 && outcome.error === null) {
        void navigate({
          to: '/dev/orders/$platform/$orderId',
          params: { platform: only.platform, orderId: only.orderId },
        });
      }
    },
  });

  if (placed) return <PlacedOrders outcome={placed} />;

  const nothing = asked.taobao.length === 0 && asked.alibaba.length === 0;
  const cartsRead = inCart.taobao !== null && inCart.alibaba !== null;
  const previewsOk =
    (ids.taobao.length === 0 || taobaoPreview.data?.canOrder === true) &&
    (ids.alibaba.length === 0 || alibabaPreview.data?.success === true);
  const warehouseHalf = (warehouse.name.trim() === '') !== (warehouse.address.trim() === '');
  const canPlace =
    !!address && ids.taobao.length + ids.alibaba.length > 0 && previewsOk && !warehouseHalf && !place.isPending;

  return (
    <>
      <PageHeader title={t('checkoutTitle')} actions={<Link to="/dev/cart">{t('backToCart')}</Link>}>
        <p>{t('checkoutIntro')}</p>
      </PageHeader>
      {nothing ? (
        <Empty>
          {t('checkoutNothing')} <Link to="/dev/cart">{t('backToCart')}</Link>
        </Empty>
      ) : (
        <>
          <Section
            title={t('deliverTo')}
            actions={
              !adding && (
                <button type="button" className="btn btn-small" onClick={() => setAdding(true)}>
                  {t('addAddress')}
                </button>
              )
            }
          >
            <QueryView query={addresses}>
              {(book) =>
                book.length === 0 ? (
                  !adding && <Empty>{t('noAddresses')}</Empty>
                ) : (
                  <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                    <legend className="visually-hidden">{t('deliverTo')}</legend>
                    {book.map((a) => (
                      <label
                        key={a.id}
                        style={{ display: 'flex', gap: '0.5rem', alignItems: 'flex-start', marginBottom: '0.5rem' }}
                      >
                        <input
                          type="radio"
                          name="address"
                          value={a.id}
                          checked={address?.id === a.id}
                          onChange={() => setPicked(a.id)}
                        />
                        <span>
                          <strong>{a.name}</strong> · {a.phone}{' '}
                          {a.isDefault && <Badge tone="good">{t('default')}</Badge>}
                          <br />
                          {addressLine(a)}
                        </span>
                      </label>
                    ))}
                  </fieldset>
                )
              }
            </QueryView>
            {adding && (
              <>
                <h3>{t('newAddress')}</h3>
                <AddressForm
                  testId="checkout-address-form"
                  onSaved={(a) => {
                    setPicked(a.id);
                    setAdding(false);
                  }}
                  onCancel={() => setAdding(false)}
                />
              </>
            )}
          </Section>
          {ids.taobao.length > 0 && (
            <Section title={t('taobaoOrder')}>
              <QueryView query={taobaoPreview}>{(p) => <TaobaoPreview preview={p} />}</QueryView>
              <h3>{t('warehouseTitle')}</h3>
              <p className="field-hint">{t('warehouseHint')}</p>
              <div className="form-row">
                <Field label={t('warehouseName')}>
                  <input
                    maxLength={64}
                    value={warehouse.name}
                    onChange={(e) => setWarehouse((w) => ({ ...w, name: e.target.value }))}
                  />
                </Field>
                <Field label={t('warehouseAddress')}>
                  <input
                    maxLength={256}
                    value={warehouse.address}
                    onChange={(e) => setWarehouse((w) => ({ ...w, address: e.target.value }))}
                  />
                </Field>
              </div>
              {warehouseHalf && <p className="field-error">{t('warehouseBoth')}</p>}
            </Section>
          )}
          {ids.alibaba.length > 0 && (
            <Section title={t('alibabaOrders')}>
              <QueryView query={alibabaPreview}>
                {(p) => <AlibabaPreview preview={p} cart={alibabaCart.data} />}
              </QueryView>
              <Field label={t('messageToSupplier')}>
                <textarea maxLength={500} value={message} onChange={(e) => setMessage(e.target.value)} />
              </Field>
            </Section>
          )}
          {gone > 0 && (
            <p className="notice" role="status">
              {t('linesGone', { count: gone })}
            </p>
          )}
          {taobaoCart.isError || alibabaCart.isError ? (
            <ErrorView error={taobaoCart.error ?? alibabaCart.error} />
          ) : (
            !cartsRead && <Loading />
          )}
          <section className="card" aria-labelledby="checkout-total">
            <h2 id="checkout-total">{t('toPay')}</h2>
            <CheckoutTotal
              taobao={ids.taobao.length > 0 ? taobaoPreview.data : undefined}
              alibaba={ids.alibaba.length > 0 ? alibabaPreview.data : undefined}
            />
            {!address && <p>{t('pickAddressFirst')}</p>}
            {place.isError && <ErrorView error={place.error} />}
            <div className="form-actions">
              <button
                type="button"
                className="btn btn-primary"
                disabled={!canPlace}
                onClick={() => address && place.mutate(address)}
              >
                {place.isPending ? t('placing') : t('placeOrder')}
              </button>
            </div>
          </section>
        </>
      )}
    </>
  );
}

function CheckoutTotal({
  taobao,
  alibaba,
}: {
  taobao: TaobaoCartPreview | undefined;
  alibaba: AlibabaCartPreview | undefined;
}) {
  const { t } = useBuyingMessages();
  const { money } = useFormat();
  const goods =
    (taobao?.goodsAmount ?? 0) + (alibaba?.orderPreviewResuslt.reduce((s, r) => s + r.sumPaymentNoCarriage, 0) ?? 0);
  const shipping =
    (taobao?.shippingFee ?? 0) + (alibaba?.orderPreviewResuslt.reduce((s, r) => s + r.sumCarriage, 0) ?? 0);
  const discount = alibaba?.orderPreviewResuslt.reduce((s, r) => s + r.discountFee, 0) ?? 0;
  const total = (taobao?.totalAmount ?? 0) + (alibaba?.orderPreviewResuslt.reduce((s, r) => s + r.sumPayment, 0) ?? 0);
  return (
    <Facts
      items={[
        [t('goods'), money(goods)],
        [t('shipping'), money(shipping)],
        ...(discount > 0 ? ([[t('discount'), money(-discount)]] as [string, string][]) : []),
        [
          t('total'),
          <strong key="total" data-testid="checkout-total">
            {money(total)}
          </strong>,
        ],
      ]}
    />
  );
}

function TaobaoPreview({ preview }: { preview: TaobaoCartPreview }) {
  const { t } = useBuyingMessages();
  const { money } = useFormat();
  return (
    <>
      {preview.groups.map((g) => (
        <div key={g.shopId} style={{ marginBottom: '1rem' }}>
          <h3>{t('seller', { name: g.shopNameTrans || g.shopName })}</h3>
          <PreviewLines
            label={t('linesOf', { name: g.shopNameTrans || g.shopName })}
            lines={g.lines.map((l) => ({
              key: l.id,
              pic: l.itemPic,
              title: l.itemTitle,
              titleTrans: l.itemTitleTrans,
              sku: skuText(l.properties),
              quantity: l.quantity,
              unitPrice: l.unitPrice,
              amount: l.amount,
              problem: l.problemText ?? l.problem,
            }))}
          />
          <Facts
            items={[
              [t('goods'), money(g.goodsAmount)],
              [t('shippingToWarehouse'), money(g.shippingFee)],
              [t('sellerTotal'), money(g.totalAmount)],
            ]}
          />
        </div>
      ))}
      {!preview.canOrder && (
        <p className="error-box" role="alert">
          {t('cannotOrderAll')}
        </p>
      )}
    </>
  );
}

/** 1688's preview names offers and specifications only: titles, pictures and suppliers come from the cart. */
function AlibabaPreview({ preview, cart }: { preview: AlibabaCartPreview; cart: AlibabaCartList | undefined }) {
  const { t } = useBuyingMessages();
  const { money } = useFormat();
  const groups = cart ? [...cart.enableList, ...cart.disableList] : [];
  const items = new Map(
    groups.flatMap((g) => g.cartItemInfos.map((i) => [`${i.offerId}:${i.specId ?? ''}`, i] as const)),
  );
  const supplier = (openId: string | null) =>
    groups.find((g) => g.sellerOpenId !== null && g.sellerOpenId === openId)?.sellerNickName;
  return (
    <>
      {preview.orderPreviewResuslt.map((r, i) => {
        const name = supplier(r.sellerOpenId) ?? t('supplierN', { n: i + 1 });
        return (
          <div key={r.sellerOpenId ?? `unknown-${i}`} style={{ marginBottom: '1rem' }}>
            <h3>{t('seller', { name })}</h3>
            <PreviewLines
              label={t('linesOf', { name })}
              lines={r.cargoList.map((c) => {
                const item = items.get(`${c.offerId}:${c.specId ?? ''}`);
                return {
                  key: `${c.offerId}:${c.specId ?? ''}`,
                  pic: item?.itemPic ?? null,
                  title: item?.itemTitle ?? String(c.offerId),
                  titleTrans: item?.itemTitleTrans ?? null,
                  sku: item ? skuText(item.properties) : (c.specId ?? ''),
                  quantity: c.quantity,
                  unitPrice: c.finalUnitPrice,
                  amount: c.amount,
                  problem: c.problemText ?? c.problem,
                };
              })}
            />
            <Facts
              items={[
                [t('goods'), money(r.sumPaymentNoCarriage)],
                [t('shippingToWarehouse'), money(r.sumCarriage)],
                ...(r.discountFee > 0 ? ([[t('discount'), money(-r.discountFee)]] as [string, string][]) : []),
                [t('sellerTotal'), money(r.sumPayment)],
              ]}
            />
          </div>
        );
      })}
      {!preview.success && (
        <p className="error-box" role="alert">
          {preview.errorMsg ?? t('cannotOrderAll')}
        </p>
      )}
    </>
  );
}

interface PreviewLine {
  key: string;
  pic: string | null;
  title: string;
  titleTrans: string | null;
  sku: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  problem: string | null;
}

function PreviewLines({ label, lines }: { label: string; lines: PreviewLine[] }) {
  const { t } = useBuyingMessages();
  const { money, number } = useFormat();
  return (
    <Table label={label}>
      <thead>
        <tr>
          <th scope="col">{t('product')}</th>
          <th scope="col" className="num">
            {t('quantity')}
          </th>
          <th scope="col" className="num">
            {t('unitPrice')}
          </th>
          <th scope="col" className="num">
            {t('amount')}
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.key}>
            <td>
              <ProductCell pic={l.pic}>
                <Title trans={l.titleTrans} original={l.title} />
                {l.sku && <small>{l.sku}</small>}
                {l.problem && <Badge tone="bad">{l.problem}</Badge>}
              </ProductCell>
            </td>
            <td className="num">{number(l.quantity)}</td>
            <td className="num">{money(l.unitPrice)}</td>
            <td className="num">{money(l.amount)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** What the checkout placed, when it is more than one order (one order opens its page at once). */
function PlacedOrders({ outcome }: { outcome: Outcome }) {
  const { orders, failed, error } = outcome;
  const { t } = useBuyingMessages();
  const { money } = useFormat();
  return (
    <>
      <PageHeader title={t('checkoutTitle')} />
      <p className="notice" role="status">
        {t('ordersPlaced', { count: orders.length })}
      </p>
      <Section title={t('placedOrders')}>
        <ul>
          {orders.map((o) => (
            <li key={`${o.platform}-${o.orderId}`}>
              <Link to="/dev/orders/$platform/$orderId" params={{ platform: o.platform, orderId: o.orderId }}>
                {t('orderOf', { platform: platformName(o.platform), id: o.orderId })}
              </Link>{' '}
              · {money(o.total)}
            </li>
          ))}
        </ul>
      </Section>
      {error !== null && <ErrorView error={error} />}
      {failed.length > 0 && (
        <Section title={t('notPlaced')}>
          <ul>
            {failed.map((f) => (
              <li key={f.sellerOpenId} role="alert">
                <code>{f.errorCode}</code> {f.errorMsg} ({f.offerIds.join(', ')})
              </li>
            ))}
          </ul>
        </Section>
      )}
    </>
  );
}
