import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useDeveloper } from '../../api';
import { FileDrop } from '../../ui/file-drop';
import { useFormat } from '../../ui/format';
import { Badge, Field, PageHeader, Section } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, ErrorView, Loading } from '../../ui/states';
import { useGoodsMessages } from './messages';
import { type GoodsHit, type SearchPicture, searchGoods } from './model';
import {
  byPicture,
  type GoodsSearch,
  isCategoryId,
  isPictureAddress,
  keepPicture,
  keptPicture,
  PAGE_SIZE,
  PLATFORMS,
  type Platform,
  parseYuan,
  resolveSearch,
  SORTS,
  type Sort,
  toParams,
  yuanText,
} from './search';
import './goods.css';

type Messages = ReturnType<typeof useGoodsMessages>['t'];

const SORT_LABELS: Record<Sort, Parameters<Messages>[0]> = {
  relevance: 'sortRelevance',
  price_asc: 'sortPriceAsc',
  price_desc: 'sortPriceDesc',
  sales_desc: 'sortSales',
};

/**
 * Taobao and 1688 goods by keyword or by picture, with the filters and sorts each marketplace's search takes. The
 * whole search is in the address, so that the back button and a reload keep it.
 */
export function GoodsSearchPage() {
  const { t } = useGoodsMessages();
  const s = resolveSearch(useSearch({ from: '/dev/goods' }));
  const navigate = useNavigate();
  const go = (next: GoodsSearch) => void navigate({ to: '/dev/goods', search: toParams(next) });
  const picture = searchPicture(s);
  const filtered = !(picture && s.platform === 'taobao');

  return (
    <>
      <PageHeader title={t('title')} />
      <PlatformSwitch
        value={s.platform}
        onChange={(platform) =>
          // Category ids differ between the marketplaces; a picture's address may be one marketplace's own.
          go({ ...s, platform, cat: '', image: '', page: 1 })
        }
      />
      <div className="goods-forms">
        <KeywordForm key={s.q} search={s} onSearch={(q) => go({ ...s, q, upload: '', image: '', page: 1 })} />
        <PictureForm search={s} picture={picture} go={go} />
      </div>
      {filtered ? (
        <Filters key={`${s.platform} ${s.min} ${s.max} ${s.cat}`} search={s} go={go} />
      ) : (
        <p className="goods-note">{t('noPictureFilters')}</p>
      )}
      {picture === 'gone' ? (
        <p className="goods-note" role="status">
          {t('pictureGone')}
        </p>
      ) : (
        <Results search={s} picture={picture} go={go} />
      )}
    </>
  );
}

/** The picture of a picture search (kept in this tab, or at an address), 'gone' when this tab no longer has it. */
function searchPicture(s: GoodsSearch): SearchPicture | 'gone' | null {
  if (s.upload) {
    const dataUrl = keptPicture(s.upload);
    return dataUrl ? { dataUrl } : 'gone';
  }
  return s.image ? { address: s.image } : null;
}

function PlatformSwitch({ value, onChange }: { value: Platform; onChange: (p: Platform) => void }) {
  const { t } = useGoodsMessages();
  return (
    <fieldset className="goods-platform">
      <legend>{t('marketplace')}</legend>
      <div className="goods-platform-options">
        {PLATFORMS.map((p) => (
          <label key={p} className={`btn${p === value ? ' goods-on' : ''}`}>
            <input type="radio" name="platform" value={p} checked={p === value} onChange={() => onChange(p)} />
            {p === 'taobao' ? t('taobao') : t('alibaba')}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function KeywordForm({ search, onSearch }: { search: GoodsSearch; onSearch: (q: string) => void }) {
  const { t } = useGoodsMessages();
  const [q, setQ] = useState(search.q);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(q.trim());
  };
  return (
    <Section title={t('keywordSearch')}>
      <search>
        <form onSubmit={submit}>
          <Field label={t('keyword')} hint={t('keywordHint')}>
            <input type="search" name="q" maxLength={200} value={q} onChange={(e) => setQ(e.target.value)} />
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary">
              {t('search')}
            </button>
          </div>
        </form>
      </search>
    </Section>
  );
}

function PictureForm({
  search,
  picture,
  go,
}: {
  search: GoodsSearch;
  picture: SearchPicture | 'gone' | null;
  go: (s: GoodsSearch) => void;
}) {
  const { t } = useGoodsMessages();
  const [address, setAddress] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const preview =
    picture && picture !== 'gone' ? ('dataUrl' in picture ? picture.dataUrl : picture.address) : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = address.trim();
    if (!isPictureAddress(value)) return setProblem(t('pictureAddressInvalid'));
    setProblem(null);
    go({ ...search, image: value, upload: '', q: '', page: 1 });
  };
  return (
    <Section title={t('pictureSearch')}>
      <FileDrop
        label={t('pictureLabel')}
        maxBytes={4 * 1024 * 1024}
        preview={preview}
        testId="picture-drop"
        onPicture={(p) => go({ ...search, upload: keepPicture(p.dataUrl), image: '', q: '', page: 1 })}
      />
      <form className="goods-address" onSubmit={submit} noValidate>
        <Field label={t('pictureAddress')} error={problem}>
          <input
            type="url"
            name="image"
            inputMode="url"
            maxLength={2048}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
          />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn">
            {t('searchAddress')}
          </button>
          {byPicture(search) && (
            <button type="button" className="btn" onClick={() => go({ ...search, upload: '', image: '', page: 1 })}>
              {t('backToKeyword')}
            </button>
          )}
        </div>
      </form>
    </Section>
  );
}

/** Sort, category and the 24-hour flag apply at once; the prices (and Taobao's category id) with Apply. */
function Filters({ search, go }: { search: GoodsSearch; go: (s: GoodsSearch) => void }) {
  const { t } = useGoodsMessages();
  const [min, setMin] = useState(search.min === null ? '' : yuanText(search.min));
  const [max, setMax] = useState(search.max === null ? '' : yuanText(search.max));
  const [cat, setCat] = useState(search.cat);
  const [errors, setErrors] = useState<{ min?: string; max?: string; cat?: string }>({});
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const lo = parseYuan(min);
    const hi = parseYuan(max);
    const next: typeof errors = {};
    if (lo === undefined) next.min = t('priceInvalid');
    if (hi === undefined) next.max = t('priceInvalid');
    if (lo != null && hi != null && hi < lo) next.max = t('priceOrder');
    if (search.platform === 'taobao' && cat.trim() && !isCategoryId(cat.trim())) next.cat = t('categoryIdInvalid');
    setErrors(next);
    if (Object.keys(next).length || lo === undefined || hi === undefined) return;
    go({ ...search, min: lo, max: hi, cat: search.platform === 'taobao' ? cat.trim() : search.cat, page: 1 });
  };
  return (
    <Section title={t('filters')}>
      <form onSubmit={apply} noValidate>
        <div className="form-row">
          <Field label={t('sort')}>
            <select
              name="sort"
              value={search.sort}
              onChange={(e) => go({ ...search, sort: e.target.value as Sort, page: 1 })}
            >
              {SORTS.map((v) => (
                <option key={v} value={v}>
                  {t(SORT_LABELS[v])}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('priceMin')} error={errors.min}>
            <input name="min" inputMode="decimal" value={min} onChange={(e) => setMin(e.target.value)} />
          </Field>
          <Field label={t('priceMax')} error={errors.max}>
            <input name="max" inputMode="decimal" value={max} onChange={(e) => setMax(e.target.value)} />
          </Field>
          {search.platform === 'taobao' ? (
            <Field label={t('categoryId')} hint={t('categoryIdHint')} error={errors.cat}>
              <input
                name="cat"
                inputMode="numeric"
                maxLength={20}
                value={cat}
                onChange={(e) => setCat(e.target.value)}
              />
            </Field>
          ) : (
            <CategoryPicker value={search.cat} onChange={(c) => go({ ...search, cat: c, page: 1 })} />
          )}
        </div>
        <div className="form-actions">
          <label className="goods-check">
            <input
              type="checkbox"
              name="fast"
              checked={search.fast}
              onChange={(e) => go({ ...search, fast: e.target.checked, page: 1 })}
            />
            {t('shipFast')}
          </label>
          <button type="submit" className="btn btn-primary">
            {t('apply')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => go({ ...search, sort: 'relevance', min: null, max: null, cat: '', fast: false, page: 1 })}
          >
            {t('clear')}
          </button>
        </div>
      </form>
    </Section>
  );
}

/** 1688's category tree: a top-level category, then one of its subcategories. */
function CategoryPicker({ value, onChange }: { value: string; onChange: (categoryId: string) => void }) {
  const { t, language } = useGoodsMessages();
  const { client, devKey } = useDeveloper();
  const category = (id: string) => ({
    queryKey: devKey('goods', 'category', id, language),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      client.alibaba.category(id ? { categoryId: id, language } : { language }, { signal }),
    staleTime: 10 * 60_000,
  });
  const root = useQuery(category(''));
  const current = useQuery({ ...category(value), enabled: value !== '' });
  const top = value ? String(current.data?.path[0]?.categoryId ?? '') : '';
  const children = useQuery({ ...category(top), enabled: top !== '' });
  const busy = root.isPending || (value !== '' && (current.isPending || (top !== '' && children.isPending)));
  const failed = root.error ?? current.error ?? children.error;
  const topData = children.data;

  return (
    <>
      <Field label={t('category')}>
        <select name="category" value={top} disabled={busy} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('allCategories')}</option>
          {root.data?.children.map((c) => (
            <option key={c.categoryId} value={String(c.categoryId)}>
              {c.nameTrans}
            </option>
          ))}
        </select>
      </Field>
      {top !== '' && topData && !topData.leaf && (
        <Field label={t('subcategory')}>
          <select
            name="subcategory"
            value={value === top ? '' : value}
            disabled={busy}
            onChange={(e) => onChange(e.target.value || top)}
          >
            <option value="">{t('allOf', { name: topData.nameTrans })}</option>
            {topData.children.map((c) => (
              <option key={c.categoryId} value={String(c.categoryId)}>
                {c.nameTrans}
              </option>
            ))}
          </select>
        </Field>
      )}
      {failed && <ErrorView error={failed} />}
    </>
  );
}

function Results({
  search,
  picture,
  go,
}: {
  search: GoodsSearch;
  picture: SearchPicture | null;
  go: (s: GoodsSearch) => void;
}) {
  const { t, language } = useGoodsMessages();
  const { client, devKey } = useDeveloper();
  // Taobao's picture search takes no filters: they are left out of the request and of its cache key.
  const s: GoodsSearch =
    picture && search.platform === 'taobao'
      ? { ...search, q: '', sort: 'relevance', min: null, max: null, cat: '', fast: false }
      : picture
        ? { ...search, q: '' }
        : search;
  const query = useQuery({
    queryKey: devKey(
      'goods',
      'search',
      s.platform,
      s.q,
      s.sort,
      s.min,
      s.max,
      s.cat,
      s.fast,
      s.page,
      s.upload,
      s.image,
      language,
    ),
    queryFn: ({ signal }) => searchGoods(client, s, language, picture, signal),
    placeholderData: keepPreviousData,
  });
  const heading = picture ? t('resultsPicture') : s.q ? t('resultsFor', { keyword: s.q }) : t('resultsAll');

  return (
    <section className="goods-results" aria-labelledby="goods-results">
      <div className="card-head">
        <h2 id="goods-results">{heading}</h2>
        {query.isFetching && !query.isPending && (
          <span className="goods-note" role="status">
            {t('updating')}
          </span>
        )}
      </div>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorView error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.hits.length === 0 ? (
        <Empty>{t('noResults')}</Empty>
      ) : (
        <>
          <ul className="grid goods-grid" aria-label={t('results')} aria-busy={query.isFetching}>
            {query.data.hits.map((hit) => (
              <GoodsCard
                key={hit.id}
                hit={hit}
                similar={{ ...search, q: '', upload: '', image: hit.picture, page: 1 }}
              />
            ))}
          </ul>
          {query.data.total > PAGE_SIZE && (
            <Pager
              pageNo={query.data.pageNo}
              pageSize={PAGE_SIZE}
              total={query.data.total}
              onChange={(page) => {
                go({ ...search, page });
                document.getElementById('goods-results')?.scrollIntoView({ block: 'start' });
              }}
            />
          )}
        </>
      )}
    </section>
  );
}

function GoodsCard({ hit, similar }: { hit: GoodsHit; similar: GoodsSearch }) {
  const { t } = useGoodsMessages();
  const f = useFormat();
  const translated = hit.titleTrans || hit.title;
  return (
    <li className="card goods-card" data-testid="goods-card" data-item-id={hit.id}>
      <Link
        to="/dev/goods/$platform/$itemId"
        params={{ platform: hit.platform, itemId: hit.id }}
        className="goods-card-link"
      >
        {hit.picture ? (
          <img className="goods-pic" src={hit.picture} alt="" loading="lazy" width={240} height={240} />
        ) : (
          <span className="goods-pic goods-nopic" aria-hidden="true" />
        )}
        <span className="goods-card-title">{translated}</span>
      </Link>
      {hit.title && hit.title !== translated && (
        <p className="goods-original" lang="zh">
          {hit.title}
        </p>
      )}
      <p className="goods-price">
        {f.money(hit.price)}
        {hit.listPrice !== null && (
          <>
            <span className="visually-hidden"> {t('listPrice')} </span>
            <s>{f.money(hit.listPrice)}</s>
          </>
        )}
      </p>
      <p className="goods-meta">
        {t(hit.platform === 'taobao' ? 'sold' : 'soldRecently', { value: f.number(hit.sales) })}
        {hit.minOrder !== null && hit.minOrder > 1 && <> · {t('minOrder', { value: f.number(hit.minOrder) })}</>}
      </p>
      {hit.shop && (
        <p className="goods-meta">
          {t('shop')}: <span lang="zh">{hit.shop}</span>
        </p>
      )}
      {(hit.similarity !== null || hit.fast || hit.strict) && (
        <p className="goods-badges">
          {hit.similarity !== null && (
            <Badge tone="good">{t('match', { value: Math.round(hit.similarity * 100) })}</Badge>
          )}
          {hit.fast && <Badge>{t('ships24h')}</Badge>}
          {hit.strict && <Badge>{t('strict')}</Badge>}
        </p>
      )}
      {hit.picture && (
        <Link to="/dev/goods" search={toParams(similar)} className="btn btn-small goods-similar">
          {t('similar')}
          <span className="visually-hidden">: {translated}</span>
        </Link>
      )}
    </li>
  );
}
