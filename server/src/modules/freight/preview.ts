import { toChannelQuote } from './freight.schemas.js';
import { type FreightChannel, type ParcelSpec, quote } from './quote.js';
import type { ChannelQuoteData, LineGoods, RenderLine } from './renders.repo.js';

/** A line to preview: what was asked, with the parcel its units make and the product's words for it. */
export interface LineToQuote extends LineGoods {
  parcel: ParcelSpec;
  /** The channel asked for, or null to quote every channel of the destination. */
  asked: FreightChannel | null;
}

/** Cheapest available first, then the channels that refuse. */
const byOffer = (a: ChannelQuoteData, b: ChannelQuoteData) =>
  Number(b.available) - Number(a.available) || a.freight - b.freight;

/**
 * W2's quotes (docs/adr/0015), a pure function of the destination's channels and the lines: each line quoted on the
 * channel it asked for, or on every channel of the destination; each line quoted on its own (the warehouse packs a
 * booking's lines into one parcel later, and the settlement at packing makes up the difference).
 */
export function quoteLines(channels: FreightChannel[], lines: LineToQuote[]): RenderLine[] {
  return lines.map((line) => {
    const quoted = line.asked ? [line.asked] : channels;
    const quotes = quoted.map((c) => toChannelQuote(c, quote(c, line.parcel), line.parcel.weightG)).sort(byOffer);
    return {
      itemId: line.itemId,
      skuId: line.skuId,
      quantity: line.quantity,
      title: line.title,
      imageUrl: line.imageUrl,
      currency: line.currency,
      price: line.price,
      parcel: line.parcel,
      askedServiceId: line.asked?.id ?? null,
      quotes,
    };
  });
}

export interface ChannelSummary {
  freightInfo: ChannelQuoteData['freightInfo'];
  sample: boolean;
  transitDays: ChannelQuoteData['transitDays'];
  lines: number;
  available: boolean;
  freight: number;
}

/**
 * Per channel quoted: how many lines it was quoted for, whether it carries every one of them, and their freight in
 * total (of the lines it carries).
 */
export function channelSummaries(lines: RenderLine[]): ChannelSummary[] {
  const byId = new Map<string, ChannelSummary>();
  for (const line of lines) {
    for (const q of line.quotes) {
      const s = byId.get(q.freightInfo.serviceId) ?? {
        freightInfo: q.freightInfo,
        sample: q.sample,
        transitDays: q.transitDays,
        lines: 0,
        available: true,
        freight: 0,
      };
      s.lines += 1;
      s.available &&= q.available;
      s.freight += q.available ? q.freight : 0;
      byId.set(q.freightInfo.serviceId, s);
    }
  }
  return [...byId.values()].sort((a, b) => Number(b.available) - Number(a.available) || a.freight - b.freight);
}

/** What booking every line on the channel it asked would charge; null when a line asked none or is refused. */
export function estimateAsAsked(lines: RenderLine[]): number | null {
  let total = 0;
  for (const line of lines) {
    const q = line.quotes.find((x) => x.freightInfo.serviceId === line.askedServiceId);
    if (!q?.available) return null;
    total += q.freight;
  }
  return total;
}

/** A line's refusals, one per channel that does not carry it. */
export function refusalsOf(line: RenderLine): { serviceId: string; code: string; detail: string }[] {
  return line.quotes.flatMap((q) =>
    q.available || !q.reason ? [] : [{ serviceId: q.freightInfo.serviceId, ...q.reason }],
  );
}
