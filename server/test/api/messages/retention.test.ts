import { afterAll, beforeAll, expect, it } from 'vitest';
import { MESSAGE_RETENTION_MS, purgeOldMessages } from '../../../src/modules/messages/retention.js';
import { insertMessage } from '../../../src/modules/messages/write.js';
import { ManualClock } from '../../../src/platform/clock.js';
import { startServer, type TestServer } from '../../harness.js';

// Messages and their attempts are kept 30 days (docs/adr/0013), then purged developer by developer.

const clock = new ManualClock(Date.now());
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ overrides: { clock } });
});
afterAll(() => server?.close());

it('deletes the messages written over 30 days ago and their attempts, and keeps the rest', async () => {
  const devs = [await server.createDeveloper('A'), await server.createDeveloper('B')];
  const write = (developId: string, objectId: string) =>
    server.deps.database.transaction((trx) =>
      insertMessage(trx, server.deps, {
        developId,
        userId: null,
        platform: 0,
        type: 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE',
        objectType: 'order',
        objectId,
        version: 1,
        body: '{}',
      }),
    );
  const old = await Promise.all(devs.map((d) => write(d.developId, 'old')));
  for (const id of old) {
    await server.deps.database.db
      .insertInto('message_attempts')
      .values({
        message_id: id,
        attempt: 1,
        develop_id: '0',
        url: 'https://example.com/',
        attempted_at: clock.now(),
        status: 500,
        duration_ms: 3,
        response: null,
        error: 'answered HTTP 500',
        outcome: 'retry',
      })
      .execute();
  }
  clock.advance(MESSAGE_RETENTION_MS - 1000);
  const kept = await Promise.all(devs.map((d) => write(d.developId, 'kept')));
  expect(await purgeOldMessages(server.deps)).toBe(0);
  clock.advance(2000);
  expect(await purgeOldMessages(server.deps)).toBe(2);

  const left = await server.deps.database.db.selectFrom('messages').select('id').execute();
  expect(left.map((r) => r.id).sort()).toEqual([...kept].sort());
  const attempts = await server.deps.database.db.selectFrom('message_attempts').select('message_id').execute();
  expect(attempts).toEqual([]);
});
