import type { AlibabaCartList, TaobaoCartList } from '@ponte/sdk';
import { useQuery } from '@tanstack/react-query';
import { useDeveloper } from '../../api';
import { useBuyingMessages } from './messages';
import { skuText } from './parts';
import type { Platform } from './search';

/** One cart line of either platform, as the page shows it. */
export interface Line {
  id: string;
  platform: Platform;
  title: string;
  titleTrans: string;
  pic: string;
  sku: string;
  /** What one unit costs today (fen): Taobao's promotion price, 1688's tier price. */
  unitPrice: number;
  quantity: number;
  stock: number;
  minOrderQuantity: number;
  seller: string;
  problem: string | null;
}

type TaobaoItem = TaobaoCartList['invalidList'][number];
type AlibabaItem = AlibabaCartList['enableList'][number]['cartItemInfos'][number];

const taobaoLine = (i: TaobaoItem): Line => ({
  id: i.id,
  platform: 'taobao',
  title: i.itemTitle,
  titleTrans: i.itemTitleTrans,
  pic: i.itemPic,
  sku: skuText(i.properties),
  unitPrice: i.promotionPrice,
  quantity: i.quantity,
  stock: i.skuQuantity,
  minOrderQuantity: i.minOrderQuantity,
  seller: i.shopNameTrans || i.shopName,
  problem: i.reasonText ?? i.reason,
});

const alibabaLine = (i: AlibabaItem, seller: string): Line => ({
  id: i.id,
  platform: '1688',
  title: i.itemTitle,
  titleTrans: i.itemTitleTrans,
  pic: i.itemPic,
  sku: skuText(i.properties),
  unitPrice: i.price,
  quantity: i.quantity,
  stock: i.amountOnSale,
  minOrderQuantity: i.minOrderQuantity,
  seller,
  problem: i.reasonText ?? i.reason,
});

/** Both carts' query keys and reads, shared with the checkout. */
export function useCarts() {
  const { client, devKey } = useDeveloper();
  const { language } = useBuyingMessages();
  const taobao = useQuery({
    queryKey: devKey('buying', 'cart', 'taobao', language),
    queryFn: () => client.taobao.cart.list(language),
  });
  const alibaba = useQuery({
    queryKey: devKey('buying', 'cart', '1688', language),
    queryFn: () => client.alibaba.cart.list(language),
  });
  return { taobao, alibaba };
}

export function taobaoLines(list: TaobaoCartList): { valid: Line[]; invalid: Line[] } {
  return {
    valid: list.shopList.flatMap((s) => s.items.map(taobaoLine)),
    invalid: list.invalidList.map(taobaoLine),
  };
}

export function alibabaLines(list: AlibabaCartList): { valid: Line[]; invalid: Line[] } {
  const lines = (groups: AlibabaCartList['enableList']) =>
    groups.flatMap((g) => g.cartItemInfos.map((i) => alibabaLine(i, g.sellerNickName)));
  return { valid: lines(list.enableList), invalid: lines(list.disableList) };
}
