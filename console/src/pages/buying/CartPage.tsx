import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useDeveloper } from '../../api';
import { useFormat } from '../../ui/format';
import { Badge, PageHeader, Section, Table } from '../../ui/page';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { alibabaLines, type Line, taobaoLines, useCarts } from './carts';
import { useBuyingMessages } from './messages';
import { ProductCell, platformName, Title } from './parts';
import type { Platform } from './search';

/**
 * The acting sub-account's Taobao and 1688 carts: lines with today's price and stock, quantities to change, lines to
 * remove, and the lines to order, ticked (every orderable line unless unticked), with their total.
 */
export function CartPage() {
  const { t } = useBuyingMessages();
  const { money } = useFormat();
  const navigate = useNavigate();
  const { taobao, alibaba } = useCarts();
  // Lines unticked by the user: a line added later is ticked.
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string, on: boolean) =>
    setUnticked((s) => {
      const next = new Set(s);
      if (on) next.delete(key);
      else next.add(key);
      return next;
    });

  const tb = taobao.data ? taobaoLines(taobao.data).valid : [];
  const ab = alibaba.data ? alibabaLines(alibaba.data).valid : [];
  const chosenTaobao = tb.filter((l) => !unticked.has(`taobao:${l.id}`));
  const chosenAlibaba = ab.filter((l) => !unticked.has(`1688:${l.id}`));
  const chosen = [...chosenTaobao, ...chosenAlibaba];
  const total = chosen.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);

  const checkout = () =>
    void navigate({
      to: '/dev/checkout',
      search: {
        ...(chosenTaobao.length > 0 ? { taobao: chosenTaobao.map((l) => l.id).join(',') } : {}),
        ...(chosenAlibaba.length > 0 ? { alibaba: chosenAlibaba.map((l) => l.id).join(',') } : {}),
      },
    });

  return (
    <>
      <PageHeader title={t('cartTitle')}>
        <p>{t('cartIntro')}</p>
      </PageHeader>
      <Section title={t('taobaoCart')}>
        <QueryView query={taobao}>
          {(list) => <CartLines platform="taobao" {...taobaoLines(list)} unticked={unticked} onToggle={toggle} />}
        </QueryView>
      </Section>
      <Section title={t('alibabaCart')}>
        <QueryView query={alibaba}>
          {(list) => <CartLines platform="1688" {...alibabaLines(list)} unticked={unticked} onToggle={toggle} />}
        </QueryView>
      </Section>
      <section className="card" aria-labelledby="cart-summary">
        <h2 id="cart-summary">{t('summary')}</h2>
        <p data-testid="cart-total">
          {t('selectedLines', { count: chosen.length })} · {t('goodsTotal')}: <strong>{money(total)}</strong>
        </p>
        <p className="field-hint">{t('totalHint')}</p>
        <div className="form-actions">
          <button type="button" className="btn btn-primary" disabled={chosen.length === 0} onClick={checkout}>
            {t('checkOut')}
          </button>
        </div>
      </section>
    </>
  );
}

function CartLines({
  platform,
  valid,
  invalid,
  unticked,
  onToggle,
}: {
  platform: Platform;
  valid: Line[];
  invalid: Line[];
  unticked: ReadonlySet<string>;
  onToggle: (key: string, on: boolean) => void;
}) {
  const { t } = useBuyingMessages();
  if (valid.length === 0 && invalid.length === 0) {
    return (
      <Empty>
        {t('cartEmpty')} <Link to="/dev/goods">{t('browseGoods')}</Link>
      </Empty>
    );
  }
  const allTicked = valid.every((l) => !unticked.has(`${platform}:${l.id}`));
  return (
    <>
      {valid.length > 0 && (
        <Table label={t('cartLinesOf', { platform: platformName(platform) })}>
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  checked={allTicked}
                  onChange={(e) => {
                    for (const l of valid) onToggle(`${platform}:${l.id}`, e.target.checked);
                  }}
                  aria-label={t('selectAllOf', { platform: platformName(platform) })}
                />
              </th>
              <th scope="col">{t('product')}</th>
              <th scope="col" className="num">
                {t('unitPrice')}
              </th>
              <th scope="col">{t('quantity')}</th>
              <th scope="col" className="num">
                {t('amount')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {valid.map((l) => (
              <CartRow
                key={l.id}
                line={l}
                ticked={!unticked.has(`${platform}:${l.id}`)}
                onToggle={(on) => onToggle(`${platform}:${l.id}`, on)}
              />
            ))}
          </tbody>
        </Table>
      )}
      {invalid.length > 0 && (
        <>
          <h3>{t('cannotOrder')}</h3>
          <Table label={t('cannotOrderOf', { platform: platformName(platform) })}>
            <thead>
              <tr>
                <th scope="col">{t('product')}</th>
                <th scope="col">{t('problem')}</th>
                <th scope="col">{t('quantity')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invalid.map((l) => (
                <CartRow key={l.id} line={l} />
              ))}
            </tbody>
          </Table>
        </>
      )}
    </>
  );
}

/** A line: ticked for checkout (orderable lines), its quantity editable, removable. */
function CartRow({ line, ticked, onToggle }: { line: Line; ticked?: boolean; onToggle?: (on: boolean) => void }) {
  const { t } = useBuyingMessages();
  const { money } = useFormat();
  const { client, devKey } = useDeveloper();
  const queryClient = useQueryClient();
  const [quantity, setQuantity] = useState(String(line.quantity));
  const [changed, setChanged] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: devKey('buying', 'cart', line.platform) });
  const update = useMutation({
    mutationFn: async (q: number) => {
      if (line.platform === 'taobao') await client.taobao.cart.updateQuantity(line.id, q);
      else await client.alibaba.cart.updateQuantity(line.id, q);
    },
    onSuccess: async (_r, q) => {
      await refresh();
      setChanged(t('quantitySet', { count: q }));
    },
  });
  const remove = useMutation({
    mutationFn: async () => {
      if (line.platform === 'taobao') await client.taobao.cart.delete([line.id]);
      else await client.alibaba.cart.delete([line.id]);
    },
    onSuccess: () => refresh(),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChanged(null);
    update.mutate(Number(quantity));
  };
  // The API refuses more than today's stock: the field does too.
  const max = Math.max(1, Math.min(9999, line.stock || 9999));
  const name = line.titleTrans || line.title;
  const dirty = Number(quantity) !== line.quantity;
  const product = (
    <ProductCell pic={line.pic}>
      <Title trans={line.titleTrans} original={line.title} />
      {line.sku && <span>{line.sku}</span>}
      <small style={{ color: 'var(--muted)' }}>
        {line.seller} · {t('inStock', { count: line.stock })}
        {line.minOrderQuantity > 1 && ` · ${t('minQuantity', { count: line.minOrderQuantity })}`}
      </small>
    </ProductCell>
  );
  const quantityForm = (
    <form onSubmit={submit} style={{ display: 'flex', gap: '0.35rem', alignItems: 'center', flexWrap: 'wrap' }}>
      <input
        type="number"
        inputMode="numeric"
        min={1}
        max={max}
        step={1}
        required
        value={quantity}
        onChange={(e) => setQuantity(e.target.value)}
        aria-label={t('quantityOf', { title: name })}
        style={{ width: '5.5rem' }}
      />
      <button type="submit" className="btn btn-small" disabled={!dirty || update.isPending}>
        {update.isPending ? t('saving') : t('update')}
      </button>
      {changed && !dirty && (
        <span className="notice" role="status">
          {changed}
        </span>
      )}
      {update.isError && <ErrorView error={update.error} />}
    </form>
  );
  const removeButton = (
    <>
      <button
        type="button"
        className="btn btn-small btn-danger"
        disabled={remove.isPending}
        onClick={() => remove.mutate()}
        aria-label={t('removeLine', { title: name })}
      >
        {t('remove')}
      </button>
      {remove.isError && <ErrorView error={remove.error} />}
    </>
  );
  if (!onToggle) {
    return (
      <tr>
        <td>{product}</td>
        <td>
          <Badge tone="warn">{line.problem}</Badge>
        </td>
        <td>{quantityForm}</td>
        <td>{removeButton}</td>
      </tr>
    );
  }
  return (
    <tr>
      <td>
        <input
          type="checkbox"
          checked={ticked}
          onChange={(e) => onToggle(e.target.checked)}
          aria-label={t('selectLine', { title: name })}
        />
      </td>
      <td>{product}</td>
      <td className="num">{money(line.unitPrice)}</td>
      <td>{quantityForm}</td>
      <td className="num">{money(line.unitPrice * line.quantity)}</td>
      <td>{removeButton}</td>
    </tr>
  );
}
