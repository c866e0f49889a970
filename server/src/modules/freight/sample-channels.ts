import type { FreightChannel, GoodsAttribute } from './quote.js';

/**
 * The rate cards Ponte ships with: SAMPLE RATES for trying it, not any forwarder's prices. Two channels per
 * destination (an express line and an economy line), priced by region; every one is marked `sample`, and an operator
 * replaces them with the forwarder's own (`PUT /admin/freight/channels.csv`). Ids are the contract's `serviceId`.
 */

type Region = 'asia' | 'europe' | 'americas' | 'oceania';

/** Destinations in the order their ids are given (the first is the United States: `serviceId` 1 and 2). */
const DESTINATIONS: { country: string; region: Region }[] = [
  { country: 'US', region: 'americas' },
  { country: 'GB', region: 'europe' },
  { country: 'DE', region: 'europe' },
  { country: 'ES', region: 'europe' },
  { country: 'FR', region: 'europe' },
  { country: 'IT', region: 'europe' },
  { country: 'NL', region: 'europe' },
  { country: 'PL', region: 'europe' },
  { country: 'VN', region: 'asia' },
  { country: 'TH', region: 'asia' },
  { country: 'MY', region: 'asia' },
  { country: 'PH', region: 'asia' },
  { country: 'ID', region: 'asia' },
  { country: 'SG', region: 'asia' },
  { country: 'JP', region: 'asia' },
  { country: 'KR', region: 'asia' },
  { country: 'AU', region: 'oceania' },
  { country: 'CA', region: 'americas' },
  { country: 'BR', region: 'americas' },
  { country: 'MX', region: 'americas' },
];

/** Per region: express (first 500 g, then 500 g steps) and economy (first 100 g, then 100 g steps), in fen. */
const PRICES: Record<
  Region,
  { express: [number, number]; economy: [number, number]; days: [number, number, number, number] }
> = {
  asia: { express: [6500, 1800], economy: [2200, 450], days: [3, 6, 7, 15] },
  europe: { express: [12_000, 3800], economy: [4200, 900], days: [5, 9, 12, 25] },
  americas: { express: [13_500, 4200], economy: [4800, 1000], days: [5, 10, 12, 30] },
  oceania: { express: [11_000, 3500], economy: [4000, 850], days: [5, 9, 10, 22] },
};

const EXPRESS_REFUSES: GoodsAttribute[] = ['liquid', 'powder'];
const ECONOMY_REFUSES: GoodsAttribute[] = ['battery', 'liquid', 'powder', 'food', 'brand'];

export const SAMPLE_CHANNELS: FreightChannel[] = DESTINATIONS.flatMap(({ country, region }, i) => {
  const price = PRICES[region];
  return [
    {
      id: String(2 * i + 1),
      name: `Sample Express ${country}`,
      category: 'express' as const,
      country,
      firstWeightG: 500,
      firstPriceFen: price.express[0],
      stepG: 500,
      stepPriceFen: price.express[1],
      volumetricDivisor: 5000,
      maxWeightG: 30_000,
      maxSideCm: 120,
      maxGirthCm: 300,
      refused: EXPRESS_REFUSES,
      transitDays: { min: price.days[0], max: price.days[1] },
      sample: true,
      active: true,
    },
    {
      id: String(2 * i + 2),
      name: `Sample Economy ${country}`,
      category: 'economy' as const,
      country,
      firstWeightG: 100,
      firstPriceFen: price.economy[0],
      stepG: 100,
      stepPriceFen: price.economy[1],
      volumetricDivisor: 8000,
      maxWeightG: 2000,
      maxSideCm: 60,
      maxGirthCm: 90,
      refused: ECONOMY_REFUSES,
      transitDays: { min: price.days[2], max: price.days[3] },
      sample: true,
      active: true,
    },
  ];
});
