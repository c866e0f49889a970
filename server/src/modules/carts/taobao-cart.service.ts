import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { notFound } from '../../platform/http/errors.js';
import type { Language } from '../../platform/http/i18n.js';
import type { Static } from '../../platform/http/schema.js';
import type { PreviewGroup, PreviewLine, ProviderProduct } from '../../providers/types.js';
import { type CartRow, listOwn } from './carts.repo.js';
import { cartProblem, problemText, readSnapshot, toSkuProperty } from './carts.schemas.js';
import { addToCart, changeQuantity, requireOwn } from './carts.service.js';
import {
  type OrderAddressInput,
  type TaobaoCartList,
  type TaobaoCartPreview,
  toShippingAddress,
  toTaobaoCartItem,
} from './taobao-cart.schemas.js';

type Item = ReturnType<typeof toTaobaoCartItem>;

/** The distributable product and SKU, as the market has them now; 40401 when either cannot be bought. */
async function resolveSku(deps: AppDeps, mpId: string, mpSkuId: string) {
  const product = await deps.market.taobao.getProductByMpId(mpId);
  if (product?.status !== 'active' || product.mpId === null) throw notFound('product', mpId);
  const sku = product.skus.find((s) => s.mpSkuId === mpSkuId);
  if (!sku) throw notFound('sku', mpSkuId);
  return { product, sku };
}

/** T30: adds `quantity` units of the SKU, resolved from the market (the client's copy is not trusted). */
export async function addTaobao(
  deps: AppDeps,
  auth: AuthContext,
  input: { mpId: string; mpSkuId: string; quantity?: number | null },
  lang: Language,
): Promise<Item> {
  const { product, sku } = await resolveSku(deps, input.mpId, input.mpSkuId);
  const row = await addToCart(deps, auth, { platform: 'taobao', product, sku, quantity: input.quantity ?? 1 });
  return toTaobaoCartItem(row, product, lang);
}

async function productsOf(deps: AppDeps, rows: CartRow[]): Promise<Map<string, ProviderProduct>> {
  if (rows.length === 0) return new Map();
  const products = await deps.market.taobao.getProducts([...new Set(rows.map((r) => r.product_id))]);
  return new Map(products.map((p) => [p.productId, p]));
}

/** T28: the cart with today's market values, orderable records by shop, the others apart. */
export async function listTaobao(
  deps: AppDeps,
  db: Executor,
  auth: AuthContext,
  lang: Language,
): Promise<Static<typeof TaobaoCartList>> {
  const rows = await listOwn(db, auth, 'taobao');
  const products = await productsOf(deps, rows);
  const shops = new Map<number, Static<typeof TaobaoCartList>['shopList'][number]>();
  const invalidList: Item[] = [];
  for (const row of rows) {
    const item = toTaobaoCartItem(row, products.get(row.product_id), lang);
    if (item.reason) {
      invalidList.push(item);
      continue;
    }
    let shop = shops.get(item.shopId);
    if (!shop) {
      shop = { shopId: item.shopId, shopName: item.shopName, shopNameTrans: item.shopNameTrans, items: [] };
      shops.set(item.shopId, shop);
    }
    shop.items.push(item);
  }
  return { shopList: [...shops.values()], invalidList, total: rows.length };
}

/** T31: sets a record's quantity, within today's stock (42202). */
export async function updateTaobaoQuantity(
  deps: AppDeps,
  auth: AuthContext,
  id: string,
  quantity: number,
  lang: Language,
): Promise<Item> {
  const [row] = await requireOwn(deps.database.db, auth, 'taobao', [id]);
  if (!row) throw notFound('cartItem', id);
  const product = (await deps.market.taobao.getProduct(row.product_id)) ?? undefined;
  const sku = product?.skus.find((s) => s.skuId === row.sku_id);
  const problem = cartProblem(product, sku, row.sku_id !== '', 1, true);
  if (!product || problem === 'not_found' || problem === 'delisted' || problem === 'not_distributable') {
    throw notFound('product', row.mp_id ?? row.product_id);
  }
  if (problem === 'sku_not_found') throw notFound('sku', row.mp_sku_id ?? row.sku_id);
  const updated = await changeQuantity(deps, auth, row, { product, sku }, quantity);
  return toTaobaoCartItem(updated, product, lang);
}

/** Pairs each line of the market's preview with the cart record it was asked for, in the preview's order. */
function recordsOf(rows: CartRow[], lines: PreviewLine[]): CartRow[] {
  const left = [...rows];
  return lines.map((line) => {
    const i = left.findIndex(
      (r) =>
        r.product_id === line.productId && (r.sku_id === '' || line.skuId === undefined || r.sku_id === line.skuId),
    );
    if (i < 0) throw new Error(`the market previewed a line that was not asked: ${line.productId}`);
    return left.splice(i, 1)[0] as CartRow;
  });
}

function previewLine(line: PreviewLine, row: CartRow, lang: Language) {
  const snap = readSnapshot(row.snapshot);
  const title = line.title.zh ? line.title : snap.title;
  const properties = line.skuProperties.length > 0 ? line.skuProperties : snap.properties;
  return {
    id: row.id,
    itemId: Number(row.product_id),
    skuId: row.sku_id,
    mpId: row.mp_id,
    mpSkuId: row.mp_sku_id,
    itemTitle: title.zh,
    itemTitleTrans: title[lang],
    itemPic: snap.pic,
    properties: properties.map((p) => toSkuProperty(p, lang)),
    quantity: row.quantity,
    unitPrice: line.unitPriceFen,
    amount: line.amountFen,
    skuQuantity: line.stock,
    problem: line.problem,
    problemText: problemText(line.problem, lang),
  };
}

/** One seller's group; a product the market no longer knows is shown with what it showed when added. */
function previewGroup(group: PreviewGroup, rows: CartRow[], lang: Language) {
  const lines = group.lines.map((line, i) => previewLine(line, rows[i] as CartRow, lang));
  const first = rows[0];
  const shopName = group.shopName.zh || !first ? group.shopName : readSnapshot(first.snapshot).shopName;
  return {
    shopId: Number(group.shopId || first?.shop_id),
    shopName: shopName.zh,
    shopNameTrans: shopName[lang],
    lines,
    goodsAmount: group.goodsFen,
    shippingFee: group.shippingFen,
    totalAmount: group.totalFen,
    canOrder: lines.every((l) => l.problem === null),
  };
}

/** T27: the market's preview of ordering the records, per seller, with each line's problem. */
export async function previewTaobao(
  deps: AppDeps,
  db: Executor,
  auth: AuthContext,
  input: { ids: string[]; orderAddress?: Static<typeof OrderAddressInput> | null },
  lang: Language,
): Promise<Static<typeof TaobaoCartPreview>> {
  const rows = await requireOwn(db, auth, 'taobao', input.ids);
  const preview = await deps.market.taobao.previewOrder({
    lines: rows.map((r) => ({
      productId: r.product_id,
      ...(r.sku_id ? { skuId: r.sku_id } : {}),
      quantity: r.quantity,
    })),
    address: toShippingAddress(input.orderAddress),
    buyerId: auth.userId,
  });
  const records = recordsOf(
    rows,
    preview.groups.flatMap((g) => g.lines),
  );
  let at = 0;
  const groups = preview.groups.map((g) => {
    at += g.lines.length;
    return previewGroup(g, records.slice(at - g.lines.length, at), lang);
  });
  return {
    groups,
    goodsAmount: groups.reduce((n, g) => n + g.goodsAmount, 0),
    shippingFee: groups.reduce((n, g) => n + g.shippingFee, 0),
    totalAmount: preview.totalFen,
    canOrder: groups.every((g) => g.canOrder),
  };
}
