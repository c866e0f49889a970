import type { Selectable } from 'kysely';
import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import type { FreightRendersTable } from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import type { Static } from '../../platform/http/schema.js';
import type { ChannelQuote, ReceiverAddress } from './freight.schemas.js';
import type { FreightChannel, ParcelSpec } from './quote.js';

export type RenderRow = Selectable<FreightRendersTable>;
export type ChannelQuoteData = Static<typeof ChannelQuote>;
export type Receiver = Static<typeof ReceiverAddress>;

/** The goods of a line of a preview or a booking, as the developer named them. */
export interface LineGoods {
  itemId: string;
  skuId: string;
  quantity: number;
  /** The product's title and picture when previewed (the marketplace's original words). */
  title: string;
  imageUrl: string;
  currency: string | null;
  price: string | null;
}

/** One line of a preview as answered: what was asked, the parcel it makes, and each quoted channel's answer. */
export interface RenderLine extends LineGoods {
  parcel: ParcelSpec;
  /** The channel the line asked for (`freightInfo.serviceId`), or null when it asked for none. */
  askedServiceId: string | null;
  quotes: ChannelQuoteData[];
}

/**
 * What `freight_renders.lines` holds: the lines with their quotes, and the rate card of every channel quoted as it
 * was then, so that a booking keeps the rates it was quoted even if the operator edits the card in between.
 */
export interface RenderContent {
  lines: RenderLine[];
  channels: FreightChannel[];
}

export const RENDER_ID_PATTERN = /^FF[0-9]{8,40}$/;

/** `FF` + the date (UTC) + a time-ordered number, as PandaPon's `renderId`s look. */
export function newRenderId(deps: Pick<AppDeps, 'ids'>, now: number): string {
  const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
  return `FF${day}${deps.ids.next(now)}`;
}

export function renderContent(row: Pick<RenderRow, 'lines'>): RenderContent {
  return JSON.parse(row.lines) as RenderContent;
}

export function renderReceiver(row: Pick<RenderRow, 'receiver'>): Receiver {
  return JSON.parse(row.receiver) as Receiver;
}

/** Only the receiver's known fields, country in capitals: what is stored and answered. */
export function receiverOf(address: Receiver): Receiver {
  const out: Receiver = { country: address.country.toUpperCase() };
  // In the schema's order, so that a stored reply replays byte for byte as the first one was sent.
  for (const key of ['state', 'city', 'zip', 'address', 'name', 'phone', 'mobilePhone', 'email', 'taxId'] as const) {
    const value = address[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * A preview the caller may book: its developer's, and for a sub-account only its own. Anything else is null, the
 * same for an unknown id and another developer's (the caller answers 40401).
 */
export async function findOwnRender(db: Executor, auth: AuthContext, renderId: string): Promise<RenderRow | null> {
  if (!RENDER_ID_PATTERN.test(renderId)) return null;
  let query = db
    .selectFrom('freight_renders')
    .selectAll()
    .where('id', '=', renderId)
    .where('develop_id', '=', auth.developId);
  if (!auth.isMainAccount) query = query.where('user_id', '=', auth.userId);
  return (await query.executeTakeFirst()) ?? null;
}

export async function insertRender(db: Executor, row: RenderRow): Promise<void> {
  await db.insertInto('freight_renders').values(row).execute();
}
