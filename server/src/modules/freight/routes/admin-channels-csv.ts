import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { allChannels, usingSamples } from '../channels.repo.js';
import { channelsToCsv } from '../rate-card-csv.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/freight/channels/csv',
  operationId: 'adminExportFreightChannels',
  summary: 'Export the rate cards as CSV',
  description:
    'Every channel, one CSV row each (`id`, `name`, `category`, `country`, weights in g, prices in fen, the ' +
    'volumetric divisor in cm³/kg, limits in cm, `refused` attributes joined by `|`, transit days, `active`, ' +
    '`sample`): edit it and send it back with `PUT`. `source` says whether these are Ponte’s sample rates.',
  tags: ['Admin'],
  auth: 'admin',
  data: Type.Object({
    source: Type.Union([Type.Literal('sample'), Type.Literal('operator')], {
      description: '`sample`: Ponte’s sample rates, in use until the operator imports rates; `operator`: yours',
    }),
    channels: Type.Integer({ description: 'How many channels', minimum: 0 }),
    csv: Type.String({ description: 'The rate cards as CSV, with a header row' }),
  }),
  handler: async ({ db }) => {
    const channels = await allChannels(db);
    return {
      source: (await usingSamples(db)) ? ('sample' as const) : ('operator' as const),
      channels: channels.length,
      csv: channelsToCsv(channels),
    };
  },
});
