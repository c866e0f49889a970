import { expect } from 'vitest';
import type { OpaqueKind } from '../../../src/platform/crypto/opaque-ids.js';
import type { Reply, TestServer } from '../../harness.js';

/** What every opaque id of an answer looks like. */
export const OPAQUE = /^[A-Za-z0-9_-]{22,}$/;

/** The opaque id of a v1 id, as this server makes it; null stays null, as answers keep it. */
export function opaqueOf(server: TestServer, kind: OpaqueKind, id: string | number): string;
export function opaqueOf(server: TestServer, kind: OpaqueKind, id: string | number | null): string | null;
export function opaqueOf(server: TestServer, kind: OpaqueKind, id: string | number | null): string | null {
  if (id === null) return null;
  const opaque = server.deps.opaqueIds.encode(kind, String(id));
  expect(opaque).toMatch(OPAQUE);
  expect(opaque).not.toBe(String(id));
  return opaque;
}

/** A real opaque id with its first character changed: the shape of one, but no id of this deployment. */
export function tampered(opaque: string): string {
  return (opaque.startsWith('A') ? 'B' : 'A') + opaque.slice(1);
}

/** A 40401 answer naming `value`. */
export function expectNotFound(r: Reply, value: string): void {
  expect(r.status, r.text).toBe(404);
  expect(r.body.code, r.text).toBe(40401);
  expect(r.body.msg, r.text).toContain(value);
}
