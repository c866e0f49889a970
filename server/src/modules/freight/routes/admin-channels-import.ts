import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Type } from '../../../platform/http/schema.js';
import { replaceChannels } from '../channels.repo.js';
import { channelsFromCsv } from '../rate-card-csv.js';

export default defineRoute({
  method: 'PUT',
  url: '/admin/freight/channels/csv',
  operationId: 'adminImportFreightChannels',
  summary: 'Replace the rate cards from CSV',
  description:
    'The whole rate card, as `GET /admin/freight/channels/csv` answers it: every row is checked first (an error ' +
    'names its row, the header being row 1, and column), then the card is replaced in one transaction. From then on ' +
    'quotes use these rates instead of the samples; a new quote uses them at once.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  bodyLimit: (config) => Math.max(config.bodyLimit, 4 * 1024 * 1024),
  body: Strict({ csv: Type.String({ description: 'The rate cards as CSV, with a header row', maxLength: 4_000_000 }) }),
  data: Type.Object({
    source: Type.Literal('operator'),
    channels: Type.Integer({ description: 'Channels now in the rate cards', minimum: 1 }),
    countries: Type.Array(Type.String(), { description: 'Destinations with an active channel' }),
  }),
  handler: async ({ deps, db, body }) => {
    const channels = channelsFromCsv(body.csv);
    await replaceChannels(db, channels, deps.clock.now());
    return {
      source: 'operator' as const,
      channels: channels.length,
      countries: [...new Set(channels.filter((c) => c.active).map((c) => c.country))].sort(),
    };
  },
});
