import type { OpaqueKind } from '../../crypto/opaque-ids.js';
import type { ReasonId } from '../reasons.js';

/** How the twins reach the opaque ids: `toV1` throws 40401 for an opaque id that is not one of this kind. */
export interface IdCodec {
  /**
   * The v1 id of a request's value: an opaque id of one of `kinds` decoded, a v1 id (`wellFormed`) as it is; any
   * other value is unknown (40401).
   */
  toV1(kinds: readonly OpaqueKind[], value: string, wellFormed: boolean): string;
  /** A plain id as it is when `wellFormed`, else 40401 naming `thing`. */
  lookup(thing: ReasonId, value: string, wellFormed: boolean): string;
  toV2(kind: OpaqueKind, id: string): string;
  /** The opaque id this request sent for the v1 id `id`, else `id`. */
  echo(id: string): string;
}
