import type { FastifyInstance } from 'fastify';
import type { UpstreamEvent } from '../providers/types.js';
import type { Executor } from './db/database.js';
import type { AppDeps } from './deps.js';
import type { AnyRoute } from './http/route.js';
import type { OutboxRegistry } from './outbox/registry.js';

/** What a module's start-up hook may tell the operator (printed by `ponte serve`). */
export type StartReport = (text: string) => void;

/** A domain module: its routes and what it plugs into the shared mechanisms. */
export interface AppModule {
  name: string;
  routes: AnyRoute[];
  registerOutboxHandlers?(registry: OutboxRegistry): void;
  /** Routes outside the envelope (binary answers such as pictures). */
  registerRaw?(app: FastifyInstance, deps: AppDeps): void;
  /**
   * What the module does when a marketplace reports a seller's action. Runs inside the transaction
   * that marks the event handled: what it writes (state, outbox messages) commits with that mark or
   * not at all. Throwing rolls it back; the event is tried again later, then dead-lettered.
   */
  onUpstreamEvent?(db: Executor, deps: AppDeps, event: UpstreamEvent): Promise<void>;
  /**
   * Start-up work of a serving process, after migrations and before it listens (first-start setup,
   * loading indexes). `report` prints a line for the operator.
   */
  onStart?(deps: AppDeps, report: StartReport): Promise<void>;
  /** Background work of a process that runs workers; returns how to stop it. */
  startBackground?(deps: AppDeps): () => Promise<void>;
}
