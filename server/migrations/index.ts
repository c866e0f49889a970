import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';

/** Every migration in order. Names are frozen; add new ones at the end. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
};
