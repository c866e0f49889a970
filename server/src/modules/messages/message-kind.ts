import type { Static, TSchema } from '../../platform/http/schema.js';

/** `messagePlatform`: 0 Taobao, 1 1688, null for Ponte's own messages (the callback URL, the warehouse, parcels). */
export type MessagePlatform = 0 | 1 | null;

/** One kind of callback message: its type, platform and body schema, with an example (docs/adr/0013). */
export interface MessageKind<
  T extends string = string,
  P extends MessagePlatform = MessagePlatform,
  S extends TSchema = TSchema,
> {
  messageType: T;
  platform: P;
  schema: S;
  /** When it is sent. */
  description: string;
  example: Static<S>;
}

/** Declares a kind with its literal types kept. */
export const kind = <T extends string, P extends MessagePlatform, S extends TSchema>(k: MessageKind<T, P, S>) => k;
