import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { invalidParameter } from '../../platform/http/errors.js';
import { type ChannelCategory, type FreightChannel, GOODS_ATTRIBUTES, type GoodsAttribute } from './quote.js';

/**
 * The rate cards as CSV, for operators who keep their forwarder's rates in a spreadsheet: one row per channel, the
 * columns below, `refused` as attributes joined by `|`. An import is checked whole before anything is written; an
 * error names the row (the header is row 1) and the column.
 */
export const CSV_COLUMNS = [
  'id',
  'name',
  'category',
  'country',
  'first_weight_g',
  'first_price_fen',
  'step_g',
  'step_price_fen',
  'volumetric_divisor',
  'max_weight_g',
  'max_side_cm',
  'max_girth_cm',
  'refused',
  'transit_min_days',
  'transit_max_days',
  'active',
  'sample',
] as const;

const CATEGORIES: ChannelCategory[] = ['express', 'standard', 'economy', 'sea'];

export function channelsToCsv(channels: FreightChannel[]): string {
  return stringify(
    channels.map((c) => [
      c.id,
      c.name,
      c.category,
      c.country,
      c.firstWeightG,
      c.firstPriceFen,
      c.stepG,
      c.stepPriceFen,
      c.volumetricDivisor,
      c.maxWeightG,
      c.maxSideCm,
      c.maxGirthCm,
      c.refused.join('|'),
      c.transitDays.min,
      c.transitDays.max,
      c.active ? 'true' : 'false',
      c.sample ? 'true' : 'false',
    ]),
    { header: true, columns: [...CSV_COLUMNS] },
  );
}

/** The channels a CSV describes, or 40001 naming `csv` with the row and column of the first error. */
export function channelsFromCsv(text: string): FreightChannel[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (err) {
    throw invalidParameter('csv', 'csvUnreadable', { detail: (err as Error).message });
  }
  if (rows.length === 0) throw invalidParameter('csv', 'csvNoRows');
  const header = Object.keys(rows[0] ?? {});
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw invalidParameter('csv', 'csvColumnsMissing', { columns: missing.join(', ') });
  const seen = new Set<string>();
  return rows.map((row, i) => {
    const at = (column: string) => `csv row ${i + 2}, ${column}`;
    const int = (column: (typeof CSV_COLUMNS)[number], min: number, max: number) => {
      const value = row[column] ?? '';
      if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
        throw invalidParameter(at(column), 'csvInteger', { min, max });
      }
      return Number(value);
    };
    const bool = (column: 'active' | 'sample') => {
      const value = (row[column] ?? '').toLowerCase();
      if (!['true', 'false', '1', '0', 'yes', 'no'].includes(value)) throw invalidParameter(at(column), 'csvBoolean');
      return value === 'true' || value === '1' || value === 'yes';
    };
    const id = row.id ?? '';
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw invalidParameter(at('id'), 'csvId');
    if (seen.has(id)) throw invalidParameter(at('id'), 'csvDuplicateId', { id });
    seen.add(id);
    const name = row.name ?? '';
    if (name.length < 1 || name.length > 100) throw invalidParameter(at('name'), 'csvName');
    const category = (row.category ?? '') as ChannelCategory;
    if (!CATEGORIES.includes(category))
      throw invalidParameter(at('category'), 'oneOf', { values: CATEGORIES.join(', ') });
    const country = (row.country ?? '').toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) throw invalidParameter(at('country'), 'csvCountry');
    const refused = (row.refused ?? '')
      .split('|')
      .map((a) => a.trim())
      .filter((a) => a.length > 0);
    const unknown = refused.find((a) => !(GOODS_ATTRIBUTES as readonly string[]).includes(a));
    if (unknown) throw invalidParameter(at('refused'), 'oneOf', { values: GOODS_ATTRIBUTES.join(', ') });
    const min = int('transit_min_days', 0, 365);
    const max = int('transit_max_days', 0, 365);
    if (max < min) throw invalidParameter(at('transit_max_days'), 'notBeforeField', { other: 'transit_min_days' });
    return {
      id,
      name,
      category,
      country,
      firstWeightG: int('first_weight_g', 1, 1_000_000),
      firstPriceFen: int('first_price_fen', 0, 100_000_000),
      stepG: int('step_g', 1, 1_000_000),
      stepPriceFen: int('step_price_fen', 0, 100_000_000),
      volumetricDivisor: int('volumetric_divisor', 1000, 20_000),
      maxWeightG: int('max_weight_g', 1, 1_000_000),
      maxSideCm: int('max_side_cm', 1, 10_000),
      maxGirthCm: int('max_girth_cm', 1, 100_000),
      refused: refused as GoodsAttribute[],
      transitDays: { min, max },
      active: bool('active'),
      sample: bool('sample'),
    };
  });
}
