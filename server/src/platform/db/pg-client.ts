import { createHash } from 'node:crypto';
import pg from 'pg';

/** Statements one connection keeps prepared; past this many, further texts run unnamed (parsed and planned each time). */
const MAX_PREPARED = 256;
/** What a connection may prepare: plain queries and writes (not DDL, not transaction control). */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;
/** PostgreSQL's answer when a prepared statement's result columns changed under it (a migration added a column). */
const RESULT_TYPE_CHANGED = 'cached plan must not change result type';

/**
 * A pg client that runs each distinct parameterised statement as a named prepared statement of its connection: the
 * server parses and plans it once per connection (and switches to a generic plan after a few runs) instead of on
 * every run, which on the path of a signed request is most of what a short statement costs it (docs/adr/0017).
 * Kysely compiles the statements of a kind to one text, so their number is small; a connection prepares at most
 * MAX_PREPARED of them and runs the rest unnamed. When a migration changes the columns a prepared `select *`
 * returns, PostgreSQL refuses that run once; the text then gets a new name, prepared afresh on its next run.
 */
export class PreparingClient extends pg.Client {
  private readonly names = new Map<string, string>();
  private generation = 0;

  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query(), passed through unchanged
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config !== 'string' || !Array.isArray(values) || callback !== undefined) {
      return super.query(config, values, callback);
    }
    const name = this.nameFor(config);
    if (name === undefined) return super.query(config, values);
    const run = super.query({ name, text: config, values }) as Promise<pg.QueryResult>;
    return run.catch((err: unknown) => {
      if (err instanceof Error && err.message.includes(RESULT_TYPE_CHANGED)) this.names.delete(config);
      throw err;
    });
  }

  private nameFor(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined) return known;
    if (this.names.size >= MAX_PREPARED || !PREPARABLE.test(text)) return undefined;
    // A name is used once per connection: a text prepared again after a refusal gets a fresh one.
    const name = `p${++this.generation}_${createHash('sha1').update(text).digest('hex').slice(0, 12)}`;
    this.names.set(text, name);
    return name;
  }
}
