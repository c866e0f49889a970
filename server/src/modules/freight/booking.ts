import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import { lockRow } from '../../platform/db/dialect.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, invalidParameter, notFound } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import { ACCOUNTS, postTransaction } from '../payments/index.js';
import { freightBookKey } from './ledger-keys.js';
import { writeParcelMessage } from './messages.js';
import {
  findOwnRender,
  type Receiver,
  type RenderLine,
  type RenderRow,
  receiverOf,
  renderContent,
  renderReceiver,
} from './renders.repo.js';
import {
  type BookedLine,
  bookedLines,
  insertShipment,
  insertShipmentHistory,
  type ShipmentRow,
  shipmentById,
  shipmentsOfRender,
} from './shipments.repo.js';

type Deps = Pick<AppDeps, 'ids' | 'clock' | 'database' | 'changes'>;

/** W4's request, as the route validated it. */
export interface BookingRequest {
  renderId?: string | null;
  receiverAddress?: Receiver;
  lineItems?: {
    itemId: string;
    skuId: string;
    quantity: number;
    title?: string;
    imageUrl?: string;
    freightInfo?: { serviceId: string };
    currency?: string;
    price?: string | number;
  }[];
  tmallOrderId: string | null;
  remark: string | null;
}

/** A line of the preview chosen for booking, on a channel it was quoted available on. */
interface Chosen {
  index: number;
  line: RenderLine;
  serviceId: string;
  freight: number;
  chargeableWeightG: number;
  asked?: NonNullable<BookingRequest['lineItems']>[number];
}

/** The lines asked for (every line of the preview on the channel it asked for, when none are named). */
function chooseLines(render: RenderRow, lines: RenderLine[], request: BookingRequest): Chosen[] {
  const named = request.lineItems ?? [];
  if (named.length === 0) {
    return lines.map((line, index) => {
      const q = line.quotes.find((x) => x.freightInfo.serviceId === line.askedServiceId);
      if (!q?.available) throw invalidParameter('lineItems', 'freightLinesNone');
      return {
        index,
        line,
        serviceId: q.freightInfo.serviceId,
        freight: q.freight,
        chargeableWeightG: q.chargeableWeightG,
      };
    });
  }
  const taken = new Set<number>();
  return named.map((asked, i) => {
    const same = (l: RenderLine) =>
      l.itemId === asked.itemId && l.skuId === asked.skuId && l.quantity === asked.quantity;
    const index = lines.findIndex((l, j) => same(l) && !taken.has(j));
    if (index < 0) {
      const twice = lines.findIndex((l) => same(l));
      throw twice >= 0
        ? invalidParameter(`lineItems[${i}]`, 'freightLineTwice', { index: twice + 1 })
        : invalidParameter(`lineItems[${i}]`, 'freightLineNotInRender', { id: render.id });
    }
    taken.add(index);
    const line = lines[index] as RenderLine;
    const serviceId = asked.freightInfo?.serviceId.trim() || line.askedServiceId;
    if (!serviceId) throw invalidParameter(`lineItems[${i}].freightInfo.serviceId`, 'freightLineNoChannel');
    const q = line.quotes.find((x) => x.freightInfo.serviceId === serviceId);
    if (!q) {
      const values = line.quotes.map((x) => x.freightInfo.serviceId).join(', ');
      throw invalidParameter(`lineItems[${i}]`, 'freightLineNotQuoted', { serviceId, values });
    }
    if (!q.available) {
      throw invalidParameter(`lineItems[${i}]`, 'freightLineRefused', { serviceId, detail: q.reason?.detail ?? '' });
    }
    return { index, line, serviceId, freight: q.freight, chargeableWeightG: q.chargeableWeightG, asked };
  });
}

function bookedLine(c: Chosen): BookedLine {
  const price = c.asked?.price ?? c.line.price;
  return {
    renderLine: c.index,
    itemId: c.line.itemId,
    skuId: c.line.skuId,
    quantity: c.line.quantity,
    title: c.asked?.title || c.line.title,
    imageUrl: c.asked?.imageUrl || c.line.imageUrl,
    currency: c.asked?.currency ?? c.line.currency,
    price: price === null || price === undefined ? null : String(price),
    attributes: c.line.parcel.attributes,
    estimateFen: c.freight,
    chargeableWeightG: c.chargeableWeightG,
  };
}

/** Whether two lists of the preview's line places name the same lines. */
function sameLines(a: number[], b: number[]): boolean {
  const x = [...a].sort((m, n) => m - n);
  const y = [...b].sort((m, n) => m - n);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * W4 (docs/adr/0015), in the caller's transaction: books the preview's lines, one parcel per channel, each charged its
 * estimate (the sum of its lines' quotes) under `freight-book:{shipmentId}`. The preview's row is locked first, so
 * that concurrent bookings of one preview take turns: the later ones find the parcels the first booked and answer
 * them, charging nothing more (so does a repeat). A balance short of a charge answers 42201 and fails the whole
 * booking. Answers the parcels asked for, in the order of their first line.
 */
export async function bookFreight(
  db: Executor,
  deps: Deps,
  auth: AuthContext,
  request: BookingRequest,
): Promise<{ renderId: string; shipments: ShipmentRow[] }> {
  const renderId = request.renderId?.trim();
  if (!renderId) throw invalidParameter('renderId', 'required');
  const render = await findOwnRender(db, auth, renderId);
  if (!render) throw notFound('freightRender', renderId);
  await lockRow(deps.database.kind, db, 'freight_renders', 'id', render.id);
  const content = renderContent(render);

  let receiver = renderReceiver(render);
  if (request.receiverAddress) {
    const other = request.receiverAddress.country.toUpperCase();
    if (other !== render.country) {
      throw invalidParameter('receiverAddress.country', 'freightCountryMismatch', { country: render.country, other });
    }
    receiver = receiverOf(request.receiverAddress);
  }

  const chosen = chooseLines(render, content.lines, request);
  const groups = new Map<string, Chosen[]>();
  for (const c of chosen) groups.set(c.serviceId, [...(groups.get(c.serviceId) ?? []), c]);

  // What was booked already: the same lines on the same channel are the same parcel; anything else conflicts.
  const existing = await shipmentsOfRender(db, render.id);
  const toBook: [string, Chosen[]][] = [];
  const idOf = new Map<string, string>();
  for (const [serviceId, group] of groups) {
    const indexes = group.map((c) => c.index);
    const same = existing.find((s) => s.channel_id === serviceId);
    if (same) {
      if (
        !sameLines(
          bookedLines(same).map((l) => l.renderLine),
          indexes,
        )
      ) {
        throw new ApiError(40901, { reason: phrase('freightChannelBooked', { serviceId, id: same.id }) });
      }
      idOf.set(serviceId, same.id);
      continue;
    }
    for (const index of indexes) {
      const other = existing.find((s) => bookedLines(s).some((l) => l.renderLine === index));
      if (other) {
        throw new ApiError(40901, { reason: phrase('freightLineBooked', { index: index + 1, id: other.id }) });
      }
    }
    toBook.push([serviceId, group]);
  }

  const now = deps.clock.now();
  if (toBook.length > 0 && now >= Number(render.expires_at)) {
    const at = new Date(Number(render.expires_at)).toISOString();
    throw new ApiError(40901, { reason: phrase('freightRenderExpired', { id: render.id, at }) });
  }
  for (const [serviceId, group] of toBook) {
    const channel = content.channels.find((c) => c.id === serviceId);
    if (!channel) throw new Error(`preview ${render.id} lacks the rate card of channel ${serviceId}`);
    const id = `PP${deps.ids.next(now)}`;
    const estimate = group.reduce((n, c) => n + c.freight, 0);
    await insertShipment(db, {
      id,
      develop_id: render.develop_id,
      // A parcel belongs with its preview: the sub-account that previewed it sees it (and the main account).
      user_id: render.user_id,
      render_id: render.id,
      channel_id: serviceId,
      channel: JSON.stringify(channel),
      country: render.country,
      receiver: JSON.stringify(receiver),
      lines: JSON.stringify(group.map(bookedLine)),
      external_order_id: request.tmallOrderId,
      remark: request.remark,
      status: 'booked',
      estimate_fen: estimate,
      actual_fen: null,
      settled_fen: null,
      storage_fee_fen: 0,
      weight_g: null,
      length_cm: null,
      width_cm: null,
      height_cm: null,
      volumetric_weight_g: null,
      chargeable_weight_g: null,
      carrier: null,
      tracking_no: null,
      book_tx: null,
      settle_tx: null,
      cancel_tx: null,
      hold_reason: null,
      version: 0,
      created_at: now,
      updated_at: now,
      packed_at: null,
      shipped_at: null,
      delivered_at: null,
      cancelled_at: null,
    });
    await insertShipmentHistory(db, deps, {
      shipment_id: id,
      from_status: null,
      to_status: 'booked',
      cause: 'api:book',
      detail: null,
      at: now,
    });
    if (estimate > 0) {
      // A balance short of it fails the whole booking (nothing of it is kept).
      const posted = await postTransaction(
        db,
        deps,
        {
          idemKey: freightBookKey(id),
          kind: 'freight_charge',
          developId: render.develop_id,
          memo: `freight of parcel ${id} (preview ${render.id}, channel ${serviceId})`,
          entries: [
            { account: ACCOUNTS.balance(render.develop_id), amountFen: -estimate },
            { account: ACCOUNTS.freightClearing, amountFen: estimate },
          ],
        },
        { savepoint: false },
      );
      await db.updateTable('shipments').set({ book_tx: posted.transactionId }).where('id', '=', id).execute();
    }
    await writeParcelMessage(db, deps, id);
    idOf.set(serviceId, id);
  }
  const shipments: ShipmentRow[] = [];
  for (const serviceId of groups.keys())
    shipments.push((await shipmentById(db, idOf.get(serviceId) ?? '')) as ShipmentRow);
  return { renderId: render.id, shipments };
}
