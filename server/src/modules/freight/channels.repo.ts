import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { FreightChannelsTable } from '../../platform/db/schema.js';
import type { FreightChannel, GoodsAttribute } from './quote.js';
import { SAMPLE_CHANNELS } from './sample-channels.js';

type ChannelRow = Selectable<FreightChannelsTable>;

function toChannel(row: ChannelRow): FreightChannel {
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    country: row.country,
    firstWeightG: Number(row.first_weight_g),
    firstPriceFen: Number(row.first_price_fen),
    stepG: Number(row.step_g),
    stepPriceFen: Number(row.step_price_fen),
    volumetricDivisor: Number(row.volumetric_divisor),
    maxWeightG: Number(row.max_weight_g),
    maxSideCm: Number(row.max_side_cm),
    maxGirthCm: Number(row.max_girth_cm),
    refused: JSON.parse(row.refused) as GoodsAttribute[],
    transitDays: { min: Number(row.transit_min_days), max: Number(row.transit_max_days) },
    sample: Number(row.sample) === 1,
    active: Number(row.active) === 1,
  };
}

/**
 * Every channel of the rate cards: the operator's, or Ponte's sample rates while the operator has not set any (the
 * table is empty until the first edit or import, which writes the whole card).
 */
export async function allChannels(db: Executor): Promise<FreightChannel[]> {
  const rows = await db.selectFrom('freight_channels').selectAll().orderBy('country').orderBy('id').execute();
  return rows.length === 0 ? SAMPLE_CHANNELS : rows.map(toChannel);
}

/** Whether the rate cards in use are Ponte's samples (no operator's rates set yet). */
export async function usingSamples(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('freight_channels').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/** Replaces the whole rate card with these channels, in the caller's transaction. */
export async function replaceChannels(db: Executor, channels: FreightChannel[], now: number): Promise<void> {
  await db.deleteFrom('freight_channels').execute();
  for (const c of channels) {
    await db
      .insertInto('freight_channels')
      .values({
        id: c.id,
        name: c.name,
        category: c.category,
        country: c.country,
        first_weight_g: c.firstWeightG,
        first_price_fen: c.firstPriceFen,
        step_g: c.stepG,
        step_price_fen: c.stepPriceFen,
        volumetric_divisor: c.volumetricDivisor,
        max_weight_g: c.maxWeightG,
        max_side_cm: c.maxSideCm,
        max_girth_cm: c.maxGirthCm,
        refused: JSON.stringify(c.refused),
        transit_min_days: c.transitDays.min,
        transit_max_days: c.transitDays.max,
        sample: c.sample ? 1 : 0,
        active: c.active ? 1 : 0,
        updated_at: now,
      })
      .execute();
  }
}
