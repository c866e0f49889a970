import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_upstream_events.js';
import * as m0003 from './0003_credentials_version.js';
import * as m0004 from './0004_buying.js';
import * as m0005 from './0005_fewer_write_indexes.js';
import * as m0006 from './0006_ordered_part_line_indexes.js';
import * as m0007 from './0007_callback_endpoints.js';
import * as m0008 from './0008_callback_delivery.js';
import * as m0009 from './0009_orders_creating.js';
import * as m0010 from './0010_refunds.js';
import * as m0011 from './0011_freight_channels.js';
import * as m0012 from './0012_warehouse_and_parcels.js';
import * as m0013 from './0013_upstream_credentials.js';
import * as m0014 from './0014_rate_limit_batches.js';
import * as m0015 from './0015_nonceless_keys.js';

/** Every migration in order. Names are frozen; add new ones at the end. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_upstream_events': m0002,
  '0003_credentials_version': m0003,
  '0004_buying': m0004,
  '0005_fewer_write_indexes': m0005,
  '0006_ordered_part_line_indexes': m0006,
  '0007_callback_endpoints': m0007,
  '0008_callback_delivery': m0008,
  '0009_orders_creating': m0009,
  '0010_refunds': m0010,
  '0011_freight_channels': m0011,
  '0012_warehouse_and_parcels': m0012,
  '0013_upstream_credentials': m0013,
  '0014_rate_limit_batches': m0014,
  '0015_nonceless_keys': m0015,
};
