// P4: callback deliveries per second from one process to a local receiver that acknowledges at once, beside the
// receiver's own ceiling measured in the same run.
//
//   npm run bench:callbacks -- [--messages 20000] [--developers 16] [--rounds 3] [--postgres] [--cpu-prof <dir>]
//
// The receiver (bench/ack-receiver.ts) is a child process answering 204 to every POST. Its ceiling: autocannon, in
// this process, POSTs a delivered message's body to it with as many connections as the delivery pool for 5 s.
// Delivery: this process builds the server's dependencies on a fresh database (SQLite in a temp dir, or a throwaway
// PostgreSQL cluster with --postgres), gives --developers developers a callback URL on the receiver, writes
// --messages pending messages spread over them (one object each), then starts the delivery worker with the server's
// defaults (CALLBACK_CONCURRENCY 64, CALLBACK_URL_CONCURRENCY 4) and times it until every message is `delivered`.
// Rounds alternate the two; the figures are the medians. Every message must arrive (the receiver counts distinct
// `webhook-id`s) and none twice. Progress goes to stderr; stdout gets exactly one line:
//
//   callbacks: receiver=<n> req/s delivered=<m> msgs/s ratio=<m/n> (goal >= 2000 msgs/s) db=<db>
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { DeliveryWorker } from '../server/src/modules/messages/delivery.js';
import { deliveredBody } from '../server/src/modules/messages/wire.js';
import { migrateToLatest } from '../server/src/platform/db/database.js';
import { positiveInt } from './args.js';
import { load, log, median, onCleanup, runBench, startListening, startPostgres } from './load.js';

const { values: flags } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    developers: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '3' },
    postgres: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
const messages = positiveInt('messages', flags.messages);
const developers = positiveInt('developers', flags.developers);
const rounds = positiveInt('rounds', flags.rounds);
const GOAL = 2000;

/** A message body of the size an order status message has. */
const SAMPLE_BODY = JSON.stringify({
  orderId: '1849203311240003500',
  purchaseOrderId: '1849203311240003501',
  currentStatus: 'waitsellersend',
  orderLines: Array.from({ length: 3 }, (_, i) => ({
    orderLineNo: String(i + 1),
    skuId: `5${i}41234567`,
    quantity: 2,
  })),
  amount: { productAmount: 12_800, shippingFee: 600, paidAmount: 13_400 },
});

async function receiverCount(receiverUrl: string): Promise<{ posts: number; ids: number }> {
  return (await (await fetch(`${receiverUrl}/count`)).json()) as { posts: number; ids: number };
}

async function receiverCeiling(receiverUrl: string, connections: number): Promise<number> {
  const body = deliveredBody({
    id: '917064681128935427',
    message_type: 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE',
    message_platform: 0,
    body: SAMPLE_BODY,
    created_at: Date.now(),
    version: 1,
  });
  log(`receiver: measuring its ceiling for 5 s with ${connections} connections`);
  const m = await load({
    baseUrl: receiverUrl,
    connections,
    seconds: 5,
    next: () => ({ method: 'POST', path: '/ceiling', headers: { 'content-type': 'application/json' }, body }),
    checkEvery: Number.POSITIVE_INFINITY,
  });
  const r = m.result;
  if (r.errors > 0 || r.timeouts > 0 || r.non2xx > 0) {
    throw new Error(`receiver: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx answers`);
  }
  log(`receiver: ${m.reqPerSec.toFixed(0)} req/s`);
  return m.reqPerSec;
}

async function deliveryRate(receiverUrl: string, databaseUrl: string | undefined, round: number): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-bench-callbacks-'));
  onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    PONTE_DEMO: 'false',
    PONTE_WORKERS: 'false',
    PONTE_DATA_DIR: dataDir,
    CALLBACK_ALLOW_PRIVATE: 'true',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const { app, deps } = await buildApp(config);
  await migrateToLatest(deps.database);
  await app.ready();
  const { db } = deps.database;
  try {
    // A fresh PostgreSQL database is shared by the rounds: start from an empty queue.
    await db.deleteFrom('message_attempts').execute();
    await db.deleteFrom('messages').execute();
    await db.deleteFrom('callback_endpoints').execute();
    const now = deps.clock.now();
    const devIds: string[] = [];
    for (let d = 0; d < developers; d++) {
      const id = deps.ids.next(now);
      devIds.push(id);
      await db
        .insertInto('developers')
        .values({ id, name: `Bench ${round}.${d}`, email: null, status: 'active', created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      await db
        .insertInto('callback_endpoints')
        .values({
          develop_id: id,
          url: `${receiverUrl}/d${d}`,
          enabled: 1,
          secret_id: `cbs_${String(d).padStart(12, '0')}`,
          secret_sealed: deps.secrets.seal('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'),
          verified_at: now,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    log(`delivery round ${round}: writing ${messages} pending messages for ${developers} developers`);
    for (let i = 0; i < messages; i += 500) {
      const rows = [];
      for (let j = i; j < Math.min(i + 500, messages); j++) {
        const id = deps.ids.next(now);
        rows.push({
          id,
          develop_id: devIds[j % developers] as string,
          user_id: null,
          message_platform: 0,
          message_type: 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE',
          object_type: 'order' as const,
          object_id: id,
          version: 1,
          body: SAMPLE_BODY,
          created_at: now,
          delivery: 'pending' as const,
          attempts: 0,
          round_attempts: 0,
          next_attempt_at: now,
          lease_owner: null,
          delivered_at: null,
        });
      }
      await db.insertInto('messages').values(rows).execute();
    }
    // The planner's statistics, as autovacuum keeps them in a running deployment: without them PostgreSQL takes the
    // 20,000 rows just written for a handful and sorts the whole queue at every claim.
    if (deps.database.kind === 'postgres') await sql`analyze messages`.execute(db);
    const profile = flags['cpu-prof'] ? new Session() : undefined;
    if (profile) {
      profile.connect();
      await profile.post('Profiler.enable');
      await profile.post('Profiler.start');
    }
    const worker = new DeliveryWorker(deps, { pollMs: 5 });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    worker.start();
    // The receiver counts what arrived (cheap to ask); the database then confirms every message is delivered.
    const target = (await receiverCount(receiverUrl)).posts + messages;
    while ((await receiverCount(receiverUrl)).posts < target) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (performance.now() - t0 > 600_000) throw new Error(`not all of ${messages} arrived in 10 min`);
    }
    let delivered = 0;
    while (delivered < messages) {
      const r = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('delivery', '=', 'delivered')
        .executeTakeFirstOrThrow();
      delivered = Number(r.n);
      if (delivered < messages) await new Promise((resolve) => setTimeout(resolve, 5));
      if (performance.now() - t0 > 600_000) throw new Error(`only ${delivered} of ${messages} delivered in 10 min`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await worker.stop();
    if (profile) {
      const { profile: cpu } = await profile.post('Profiler.stop');
      const dir = flags['cpu-prof'] as string;
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `callbacks-${round}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(cpu));
      log(`CPU profile: ${file}`);
    }
    const failed = await db
      .selectFrom('message_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('outcome', '!=', 'delivered')
      .executeTakeFirstOrThrow();
    if (Number(failed.n) > 0) throw new Error(`${failed.n} attempts failed`);
    const rate = messages / seconds;
    log(
      `delivery round ${round}: ${messages} messages in ${seconds.toFixed(2)} s: ${rate.toFixed(0)} msgs/s, ` +
        `${((cpu.user + cpu.system) / 1000 / messages).toFixed(3)} ms of this process's CPU per message`,
    );
    return rate;
  } finally {
    await app.close();
  }
}

await runBench('callbacks', async () => {
  const databaseUrl = flags.postgres ? await startPostgres() : undefined;
  const receiverUrl = await startListening('bench/ack-receiver.ts');
  const connections = loadConfig({}).callbacks.poolSize;
  const ceilings: number[] = [];
  const rates: number[] = [];
  let sent = 0;
  for (let round = 1; round <= rounds; round++) {
    ceilings.push(await receiverCeiling(receiverUrl, connections));
    const before = await receiverCount(receiverUrl);
    rates.push(await deliveryRate(receiverUrl, databaseUrl, round));
    const after = await receiverCount(receiverUrl);
    sent += messages;
    // The ceiling's POSTs carry no webhook-id: the ids counted are the deliveries'.
    if (after.ids !== sent) throw new Error(`the receiver got ${after.ids} distinct messages, expected ${sent}`);
    const posts = after.posts - before.posts;
    if (posts !== messages) throw new Error(`the receiver got ${posts} deliveries of ${messages} messages`);
  }
  const receiver = median(ceilings);
  const delivered = median(rates);
  process.stdout.write(
    `callbacks: receiver=${receiver.toFixed(0)} req/s delivered=${delivered.toFixed(0)} msgs/s ` +
      `ratio=${(delivered / receiver).toFixed(2)} (goal >= ${GOAL} msgs/s) db=${flags.postgres ? 'postgres' : 'sqlite'}\n`,
  );
});
