import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type FormEvent, type KeyboardEvent, type ReactNode, useState } from 'react';
import { queryClient, useDeveloper } from '../../api';
import { useCommon } from '../../i18n/common';
import { useFormat } from '../../ui/format';
import { Badge, Facts, Field, PageHeader, Section, Table } from '../../ui/page';
import { Empty, ErrorView, Loading } from '../../ui/states';
import { useGoodsMessages } from './messages';
import { addToCart, loadProduct, type ProductSku, type ProductValue, type ProductView } from './model';
import type { Platform } from './search';
import './goods.css';

/** A Taobao item or a 1688 offer: pictures, options, price and stock of the chosen one, and adding it to the cart. */
export function ProductPage() {
  const { t } = useGoodsMessages();
  const { platform, itemId } = useParams({ from: '/dev/goods/$platform/$itemId' });
  if ((platform !== 'taobao' && platform !== '1688') || !/^[0-9]{1,20}$/.test(itemId)) {
    return (
      <>
        <PageHeader title={t('title')} />
        <Empty>{t('noProduct')}</Empty>
        <Link to="/dev/goods">{t('backToSearch')}</Link>
      </>
    );
  }
  return <ProductLoader platform={platform} id={itemId} />;
}

function ProductLoader({ platform, id }: { platform: Platform; id: string }) {
  const { t, language } = useGoodsMessages();
  const { client, devKey } = useDeveloper();
  const query = useQuery({
    queryKey: devKey('goods', 'product', platform, id, language),
    queryFn: ({ signal }) => loadProduct(client, platform, id, language, signal),
  });
  if (query.isSuccess) return <Product key={`${platform}:${id}`} product={query.data} />;
  return (
    <>
      <PageHeader title={t('title')} />
      {query.isError ? <ErrorView error={query.error} onRetry={() => void query.refetch()} /> : <Loading />}
    </>
  );
}

type Choice = Record<string, string>;

/** The SKU the choice names, once every property has a value; the only SKU of an item without properties. */
function chosenSku(product: ProductView, choice: Choice): ProductSku | null {
  if (product.properties.length === 0) return product.skus.length === 1 ? (product.skus[0] ?? null) : null;
  if (product.properties.some((p) => !choice[p.id])) return null;
  return product.skus.find((s) => product.properties.every((p) => s.values[p.id] === choice[p.id])) ?? null;
}

/** Whether some SKU with this value, and the other values chosen, can be ordered now. */
function available(product: ProductView, choice: Choice, propertyId: string, valueId: string): boolean {
  return product.skus.some(
    (s) =>
      s.values[propertyId] === valueId &&
      s.active &&
      s.stock > 0 &&
      product.properties.every((p) => p.id === propertyId || !choice[p.id] || s.values[p.id] === choice[p.id]),
  );
}

function Product({ product }: { product: ProductView }) {
  const { t, language } = useGoodsMessages();
  const { t: tc } = useCommon();
  const f = useFormat();
  const { client, devKey } = useDeveloper();
  // A property with one value is chosen already.
  const [choice, setChoice] = useState<Choice>(() =>
    Object.fromEntries(
      product.properties.filter((p) => p.values.length === 1).map((p) => [p.id, p.values[0]?.id ?? '']),
    ),
  );
  const [shown, setShown] = useState<string | null>(null);
  const [quantity, setQuantity] = useState(String(product.minQuantity));
  const [problem, setProblem] = useState<string | null>(null);
  const [quantityError, setQuantityError] = useState<string | null>(null);
  const sku = chosenSku(product, choice);
  const stock = sku ? sku.stock : product.stock;
  const maxQuantity = Math.max(product.minQuantity, Math.min(9999, stock));

  const add = useMutation({
    mutationFn: (v: { sku: ProductSku | null; quantity: number }) =>
      addToCart(client, product, v.sku, v.quantity, language),
    // The cart page reads the carts under this key.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: devKey('buying', 'cart') }),
  });

  const blocked = product.delisted
    ? t('delisted')
    : product.notDistributable
      ? product.notDistributable.reason
        ? t('notDistributable', { reason: product.notDistributable.reason })
        : t('notDistributableNoReason')
      : product.platform === 'taobao' && product.skus.length === 0
        ? t('noSkus')
        : null;

  const whyNot = (): string | null => {
    if (blocked) return blocked;
    const missing = product.properties.filter((p) => !choice[p.id]);
    if (missing.length) return t('chooseFirst', { names: missing.map((p) => p.nameTrans || p.name).join(', ') });
    if (product.skus.length > 0 && !sku) return t('notSold');
    if (sku && !sku.cartId) return t('skuNotDistributable');
    if (sku && (!sku.active || sku.stock === 0)) return t('outOfStock');
    return null;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.reset();
    const why = whyNot();
    setProblem(why);
    const n = Number(quantity.trim());
    let qError: string | null = null;
    if (!/^[0-9]{1,7}$/.test(quantity.trim()) || n < product.minQuantity || n > maxQuantity) {
      qError = t('quantityInvalid', { min: product.minQuantity, max: maxQuantity });
    } else if (product.step > 1 && (n - product.minQuantity) % product.step !== 0) {
      qError = t('quantityStep', { min: product.minQuantity, step: product.step });
    }
    setQuantityError(qError);
    if (why || qError) return;
    add.mutate({ sku, quantity: n });
  };

  const pick = (propertyId: string, value: ProductValue) => {
    setProblem(null);
    setChoice((c) => {
      const next = { ...c };
      if (next[propertyId] === value.id) delete next[propertyId];
      else next[propertyId] = value.id;
      return next;
    });
    if (value.picture) setShown(value.picture);
  };

  const price = sku ? { min: sku.price, max: sku.price } : product.price;
  const listPrice = sku
    ? sku.listPrice === null
      ? null
      : { min: sku.listPrice, max: sku.listPrice }
    : product.listPrice;
  const money = (r: { min: number; max: number }) =>
    r.min === r.max ? f.money(r.min) : `${f.money(r.min)} – ${f.money(r.max)}`;
  const translated = product.titleTrans || product.title;

  return (
    <>
      <PageHeader
        title={translated}
        actions={
          <Link to="/dev/goods" search={product.platform === '1688' ? { platform: 1688 } : {}}>
            {t('backToSearch')}
          </Link>
        }
      >
        {product.title !== translated && (
          <p className="goods-original-title">
            <span className="goods-label">{t('originalTitle')}: </span>
            <span lang="zh">{product.title}</span>
          </p>
        )}
        <p className="goods-badges">
          <Badge>{product.platform === 'taobao' ? t('taobao') : t('alibaba')}</Badge>
          {product.delisted && <Badge tone="bad">{t('offSale')}</Badge>}
          {product.fast && <Badge>{t('ships24h')}</Badge>}
          {product.strict && <Badge tone="good">{t('strict')}</Badge>}
        </p>
      </PageHeader>

      <div className="goods-product">
        <Gallery
          pictures={product.pictures}
          main={shown ?? sku?.picture ?? product.pictures[0] ?? null}
          alt={translated}
          onShow={setShown}
        />

        <Section title={t('buy')}>
          <form onSubmit={submit} noValidate>
            <p className="goods-price goods-price-large">
              <span className="visually-hidden">{t('price')}: </span>
              {money(price)}
              {listPrice && (
                <>
                  <span className="visually-hidden"> {t('listPrice')} </span>
                  <s>{money(listPrice)}</s>
                </>
              )}
            </p>
            {product.properties.map((property) => (
              <fieldset key={property.id} className="goods-option">
                <legend>{property.nameTrans || property.name}</legend>
                <div className="goods-values">
                  {property.values.map((value) => {
                    const on = choice[property.id] === value.id;
                    const open = available(product, choice, property.id, value.id);
                    return (
                      <button
                        key={value.id}
                        type="button"
                        className="btn btn-small"
                        aria-pressed={on}
                        onClick={() => pick(property.id, value)}
                      >
                        {value.nameTrans || value.name}
                        {value.name !== value.nameTrans && value.nameTrans && (
                          <span className="goods-value-original" lang="zh">
                            {value.name}
                          </span>
                        )}
                        {!open && <span className="goods-soldout">({t('soldOut')})</span>}
                      </button>
                    );
                  })}
                </div>
              </fieldset>
            ))}
            {sku && (
              <Facts
                items={[
                  [t('chosen'), sku.id],
                  [t('price'), f.money(sku.price)],
                  [t('stock'), f.number(sku.stock)],
                ]}
              />
            )}
            <div className="form-row goods-quantity">
              <Field
                label={t('quantity')}
                hint={
                  product.step > 1
                    ? t('quantityHintStep', { min: product.minQuantity, max: maxQuantity, step: product.step })
                    : t('quantityHint', { min: product.minQuantity, max: maxQuantity })
                }
                error={quantityError}
              >
                <input
                  type="number"
                  name="quantity"
                  inputMode="numeric"
                  min={product.minQuantity}
                  max={maxQuantity}
                  step={product.step}
                  value={quantity}
                  onChange={(e) => setQuantity(e.target.value)}
                />
              </Field>
            </div>
            {problem && (
              <p className="field-error" role="alert">
                {problem}
              </p>
            )}
            {blocked && !problem && <p className="goods-note">{blocked}</p>}
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={add.isPending || blocked !== null}>
                {add.isPending ? t('adding') : t('addToCart')}
              </button>
            </div>
            {add.isError && <ErrorView error={add.error} />}
            {add.isSuccess && (
              <p className="notice" role="status">
                {t('added', { quantity: add.variables.quantity, title: add.data.itemTitleTrans || translated })}{' '}
                <Link to="/dev/cart">{t('openCart')}</Link>
              </p>
            )}
          </form>
          {product.tiers.length > 1 && (
            <>
              <h3>{t('tiers')}</h3>
              <Table label={t('tiers')}>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      {t('tierFrom')}
                    </th>
                    <th scope="col" className="num">
                      {t('tierPrice')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {product.tiers.map((tier) => (
                    <tr key={tier.from}>
                      <td className="num">{f.number(tier.from)}</td>
                      <td className="num">{f.money(tier.price)}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              {product.tiered && <p className="goods-note">{t('tiersNote')}</p>}
            </>
          )}
        </Section>
      </div>

      <Section title={t('seller')}>
        <Facts
          items={
            product.seller.platform === 'taobao'
              ? [
                  [
                    t('shop'),
                    <Translated key="shop" text={product.seller.shopName} trans={product.seller.shopNameTrans} />,
                  ],
                  [t('sellerNick'), product.seller.nick],
                  [t('shopId'), product.seller.shopId],
                ]
              : [
                  [
                    t('supplier'),
                    <Translated key="supplier" text={product.seller.company} trans={product.seller.companyTrans} />,
                  ],
                  [
                    t('shipsFrom'),
                    <Translated key="from" text={product.seller.from} trans={product.seller.fromTrans} />,
                  ],
                  [t('supplierId'), product.seller.openId ?? '—'],
                ]
          }
        />
      </Section>

      <Section title={t('details')}>
        <Facts
          items={[
            [product.platform === 'taobao' ? t('itemId') : t('offerId'), product.id],
            [
              t('category'),
              <>
                <Translated text={product.category.name} trans={product.category.nameTrans} />
                {product.category.id && (
                  <>
                    {' · '}
                    <Link
                      to="/dev/goods"
                      search={{
                        ...(product.platform === '1688' ? { platform: 1688 as const } : {}),
                        cat: /^[1-9][0-9]{0,14}$/.test(product.category.id)
                          ? Number(product.category.id)
                          : product.category.id,
                      }}
                    >
                      {t('moreInCategory')}
                    </Link>
                  </>
                )}
              </>,
            ],
            ...(product.sales !== null ? [[t('sales'), f.number(product.sales)] as [string, string]] : []),
            [t('totalStock'), f.number(product.stock)],
            [t('moq'), f.number(product.minQuantity)],
            ...(product.step > 1 ? [[t('batch'), f.number(product.step)] as [string, string]] : []),
            [t('unit'), <Translated key="unit" text={product.unit} trans={product.unitTrans} />],
            [t('fast'), product.fast ? tc('yes') : tc('no')],
            ...(product.strict !== null
              ? [[t('strictSelection'), product.strict ? tc('yes') : tc('no')] as [string, string]]
              : []),
          ]}
        />
        {product.attributes.length > 0 && (
          <>
            <h3>{t('attributes')}</h3>
            <Facts items={attributeFacts(product.attributes)} />
          </>
        )}
      </Section>

      <Section title={t('description')}>
        {product.description.textTrans.length || product.description.text.length ? (
          <>
            {(product.description.textTrans.length ? product.description.textTrans : product.description.text).map(
              (p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of a fixed text, never reordered
                <p key={i}>{p}</p>
              ),
            )}
            {product.description.textTrans.length > 0 &&
              product.description.text.join('\n') !== product.description.textTrans.join('\n') && (
                <details className="goods-original-text">
                  <summary>{t('original')}</summary>
                  {product.description.text.map((p, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of a fixed text, never reordered
                    <p key={i} lang="zh">
                      {p}
                    </p>
                  ))}
                </details>
              )}
          </>
        ) : (
          <Empty>{t('noDescription')}</Empty>
        )}
        {product.description.pictures.length > 0 && (
          <>
            <h3>{t('descriptionPictures')}</h3>
            <ul className="goods-desc-pictures">
              {product.description.pictures.map((src, i) => (
                <li key={src}>
                  <img src={src} alt={t('descriptionPicture', { n: i + 1 })} loading="lazy" width={480} height={480} />
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>
    </>
  );
}

/** The attributes as facts, one per name (a name given twice lists its values together). */
function attributeFacts(attributes: ProductView['attributes']): [string, ReactNode][] {
  const byName = new Map<string, ReactNode[]>();
  for (const a of attributes) {
    const name = a.nameTrans || a.name;
    const values = byName.get(name) ?? [];
    values.push(
      <span key={values.length}>
        {values.length > 0 && ', '}
        <Translated text={a.value} trans={a.valueTrans} />
      </span>,
    );
    byName.set(name, values);
  }
  return [...byName].map(([name, values]) => [name, values]);
}

/** A text in the console's language with the original Chinese beside it when they differ. */
function Translated({ text, trans }: { text: string; trans: string }) {
  if (!trans || trans === text) return <span lang={trans ? undefined : 'zh'}>{text || '—'}</span>;
  return (
    <>
      {trans}{' '}
      <span className="goods-original-inline" lang="zh">
        ({text})
      </span>
    </>
  );
}

/** The main picture and the thumbnails that choose it: buttons, which the arrow keys also move between. */
function Gallery({
  pictures,
  main,
  alt,
  onShow,
}: {
  pictures: string[];
  main: string | null;
  alt: string;
  onShow: (url: string) => void;
}) {
  const { t } = useGoodsMessages();
  const onKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const step =
      e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = (i + step + pictures.length) % pictures.length;
    const url = pictures[next];
    if (url) onShow(url);
    const buttons = e.currentTarget.closest('ul')?.querySelectorAll('button');
    buttons?.[next]?.focus();
  };
  return (
    <section className="goods-gallery" aria-labelledby="goods-pictures">
      <h2 id="goods-pictures" className="visually-hidden">
        {t('pictures')}
      </h2>
      {main ? (
        <img className="goods-main-pic" src={main} alt={alt} width={600} height={600} />
      ) : (
        <span className="goods-main-pic goods-nopic" aria-hidden="true" />
      )}
      {pictures.length > 1 && (
        <ul className="goods-thumbs">
          {pictures.map((url, i) => (
            <li key={url}>
              <button
                type="button"
                aria-pressed={url === main}
                aria-label={t('showPicture', { n: i + 1, total: pictures.length })}
                onClick={() => onShow(url)}
                onKeyDown={(e) => onKey(e, i)}
              >
                <img className="thumb" src={url} alt="" width={56} height={56} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
