import type { OperationData, PonteAdminClient } from '@ponte/sdk';
import { type Command, InvalidArgumentError } from 'commander';
import { ALIBABA_REFUND_STATUS, TAOBAO_REFUND_STATUS } from '../modules/refunds/refunds.states.js';
import { integer, pagingOptions, run } from './admin-run.js';
import { registerFreight, registerShipments, registerWarehouse } from './logistics.js';

function registerDevelopers(admin: Command): void {
  const developers = admin.command('developers').description('Developers (the API customers)');
  developers
    .command('create')
    .description('Create a developer with its main account and first key (the secret is shown once)')
    .requiredOption('--name <name>', 'Company or developer name')
    .option('--email <email>', 'Contact e-mail')
    .action((opts: { name: string; email?: string }, cmd: Command) =>
      run(cmd, (a) => a.developers.create({ name: opts.name, ...(opts.email ? { email: opts.email } : {}) })),
    );
  pagingOptions(developers.command('list').description('List developers, newest first')).action(
    (opts: { pageNo?: number; pageSize?: number }, cmd: Command) =>
      run(cmd, (a) => a.developers.list({ pageNo: opts.pageNo, pageSize: opts.pageSize })),
  );
  developers
    .command('get <developId>')
    .description('Show a developer with its access keys')
    .action((developId: string, _opts: unknown, cmd: Command) => run(cmd, (a) => a.developers.get(developId)));
  for (const [name, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    developers
      .command(`${name} <developId>`)
      .description(`${name === 'disable' ? 'Disable' : 'Enable'} a developer (a disabled one's keys are refused)`)
      .action((developId: string, _opts: unknown, cmd: Command) =>
        run(cmd, (a) => a.developers.setStatus(developId, status)),
      );
  }
}

function registerKeys(admin: Command): void {
  const keys = admin.command('keys').description('Access keys');
  keys
    .command('issue <developId>')
    .description('Issue another key for a developer (the secret is shown once)')
    .option('--label <label>', 'Operator note')
    .action((developId: string, opts: { label?: string }, cmd: Command) =>
      run(cmd, (a) => a.keys.issue(developId, opts.label ? { label: opts.label } : {})),
    );
  keys
    .command('list <developId>')
    .description("List a developer's keys (without secrets)")
    .action((developId: string, _opts: unknown, cmd: Command) => run(cmd, (a) => a.keys.list(developId)));
  keys
    .command('rotate <accessKey>')
    .description('Give a key a new secret; the previous one keeps verifying during the overlap')
    .option(
      '--overlap <seconds>',
      'How long the previous secret keeps verifying (server default 86400)',
      integer(0, 604_800),
    )
    .action((accessKey: string, opts: { overlap?: number }, cmd: Command) =>
      run(cmd, (a) => a.keys.rotate(accessKey, opts.overlap === undefined ? {} : { overlapSeconds: opts.overlap })),
    );
  keys
    .command('revoke <accessKey>')
    .description('Revoke a key: refused everywhere from the next request')
    .action((accessKey: string, _opts: unknown, cmd: Command) => run(cmd, (a) => a.keys.revoke(accessKey)));
  const onOff = (
    name: string,
    what: string,
    set: (a: PonteAdminClient, key: string, on: boolean) => Promise<unknown>,
  ) =>
    keys
      .command(`${name} <accessKey>`)
      .description(`Allow (--on) or forbid (--off) ${what} for a key`)
      .option('--on', 'Allow')
      .option('--off', 'Forbid')
      .action((accessKey: string, opts: { on?: boolean; off?: boolean }, cmd: Command) => {
        if (opts.on === opts.off) cmd.error('error: pass exactly one of --on and --off');
        return run(cmd, (a) => set(a, accessKey, opts.on === true));
      });
  onOff('legacy-md5', 'the legacy MD5 signature', (a, key, on) => a.keys.setLegacyMd5(key, on));
  onOff('nonceless', 'v2 requests without nonce-str', (a, key, on) => a.keys.setNonceless(key, on));
}

function registerUsers(admin: Command): void {
  const users = admin.command('users').description("Developers' sub-accounts");
  users
    .command('create <developId>')
    .description('Create a sub-account for a developer')
    .requiredOption('--name <name>', 'Display name')
    .option('--out-member-id <id>', "The developer's own id for it")
    .action((developId: string, opts: { name: string; outMemberId?: string }, cmd: Command) =>
      run(cmd, (a) =>
        a.users.create(developId, { name: opts.name, ...(opts.outMemberId ? { outMemberId: opts.outMemberId } : {}) }),
      ),
    );
  pagingOptions(users.command('list <developId>').description("List a developer's sub-accounts")).action(
    (developId: string, opts: { pageNo?: number; pageSize?: number }, cmd: Command) =>
      run(cmd, (a) => a.users.list(developId, { pageNo: opts.pageNo, pageSize: opts.pageSize })),
  );
  for (const [name, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    users
      .command(`${name} <userId>`)
      .description(`${name === 'disable' ? 'Disable' : 'Enable'} a sub-account`)
      .action((userId: string, _opts: unknown, cmd: Command) => run(cmd, (a) => a.users.setStatus(userId, status)));
  }
}

function registerDeadLetters(admin: Command): void {
  const dead = admin.command('dead-letters').description('Background work that kept failing (upstream events…)');
  pagingOptions(
    dead
      .command('list')
      .description('List dead rows, newest first, with their last error')
      .option('--type <type>', 'Only rows of this type, e.g. upstream.event'),
  ).action((opts: { type?: string; pageNo?: number; pageSize?: number }, cmd: Command) =>
    run(cmd, (a) => a.deadLetters.list({ type: opts.type, pageNo: opts.pageNo, pageSize: opts.pageSize })),
  );
  dead
    .command('retry <id>')
    .description('Run a dead row again from its first attempt')
    .action((id: string, _opts: unknown, cmd: Command) => run(cmd, (a) => a.deadLetters.retry(id)));
  dead
    .command('discard <id>')
    .description('Give up on a dead row, releasing the rows queued behind it')
    .action((id: string, _opts: unknown, cmd: Command) => run(cmd, (a) => a.deadLetters.discard(id)));
}

// -- Payments: top-ups and payment vouchers ----------------------------------------------------
const VOUCHER_STATUSES = ['pending', 'approved', 'rejected'] as const;

function voucherStatus(raw: string): (typeof VOUCHER_STATUSES)[number] {
  const found = VOUCHER_STATUSES.find((s) => s === raw);
  if (!found) throw new InvalidArgumentError(`expected one of ${VOUCHER_STATUSES.join(', ')}`);
  return found;
}

function registerTopup(admin: Command): void {
  admin
    .command('topup')
    .description("Credit money received outside Ponte to a developer's balance")
    .argument('<developId>', 'Developer id')
    .argument('<amountFen>', 'Amount in fen (1/100 CNY)', integer(1, 100_000_000))
    .requiredOption('--reference <reference>', 'The bank or transfer reference')
    .option('--note <note>', 'Operator note')
    .action((developId: string, amount: number, opts: { reference: string; note?: string }, cmd: Command) =>
      run(cmd, (a) =>
        a.topups.create(developId, { amount, reference: opts.reference, ...(opts.note ? { note: opts.note } : {}) }),
      ),
    );
}

interface VoucherListOptions {
  status?: (typeof VOUCHER_STATUSES)[number];
  developId?: string;
  pageNo?: number;
  pageSize?: number;
}

function registerVouchers(admin: Command): void {
  const vouchers = admin.command('vouchers').description('Payment vouchers developers uploaded');
  pagingOptions(
    vouchers
      .command('list')
      .description('List vouchers of a status (default pending, oldest first)')
      .option('--status <status>', 'pending, approved or rejected', voucherStatus)
      .option('--develop-id <developId>', "Only this developer's vouchers"),
  ).action((opts: VoucherListOptions, cmd: Command) =>
    run(cmd, (a) =>
      a.vouchers.list({ status: opts.status, developId: opts.developId, pageNo: opts.pageNo, pageSize: opts.pageSize }),
    ),
  );
  vouchers
    .command('get <voucherId>')
    .description('Show a voucher with the link to its picture')
    .action((voucherId: string, _opts: unknown, cmd: Command) => run(cmd, (a) => a.vouchers.get(voucherId)));
  vouchers
    .command('approve <voucherId>')
    .description('Approve a pending voucher: its amount is credited once, and its order paid next')
    .option('--note <note>', 'Operator note')
    .action((voucherId: string, opts: { note?: string }, cmd: Command) =>
      run(cmd, (a) => a.vouchers.approve(voucherId, opts.note ? { note: opts.note } : {})),
    );
  vouchers
    .command('reject <voucherId>')
    .description('Reject a pending voucher (no money moves)')
    .requiredOption('--note <note>', 'Why it is rejected')
    .action((voucherId: string, opts: { note: string }, cmd: Command) =>
      run(cmd, (a) => a.vouchers.reject(voucherId, { note: opts.note })),
    );
}

// -- After-sales: refunds of both marketplaces ----------------------------------------------------
/** The statuses the list filters by: the neutral words, and each platform's own (`100`, `waitselleragree`, …). */
const REFUND_STATUSES = [
  ...Object.keys(TAOBAO_REFUND_STATUS),
  ...Object.values(TAOBAO_REFUND_STATUS),
  ...Object.values(ALIBABA_REFUND_STATUS),
];

function refundStatus(raw: string): string {
  if (!REFUND_STATUSES.includes(raw)) throw new InvalidArgumentError(`expected one of ${REFUND_STATUSES.join(', ')}`);
  return raw;
}

function refundPlatform(raw: string): 'taobao' | '1688' {
  if (raw !== 'taobao' && raw !== '1688') throw new InvalidArgumentError('expected taobao or 1688');
  return raw;
}

interface RefundListOptions {
  developer?: string;
  platform?: 'taobao' | '1688';
  status?: string;
  order?: string;
  pageNo?: number;
  pageSize?: number;
}

function registerRefunds(admin: Command): void {
  const refunds = admin.command('refunds').description("Developers' refunds (Taobao reverse orders, 1688 refunds)");
  pagingOptions(
    refunds
      .command('list')
      .description('List refunds, newest first, with their status, amounts and credit')
      .option('--developer <developId>', "Only this developer's refunds")
      .option('--platform <platform>', 'Only this marketplace: taobao or 1688', refundPlatform)
      .option(
        '--status <status>',
        'Only this status: wait_seller_agree, success, … or a platform word (100, refundsuccess, …)',
        refundStatus,
      )
      .option('--order <orderId>', 'Only the refunds of this order'),
  ).action((opts: RefundListOptions, cmd: Command) =>
    run(cmd, (a) =>
      a.request<OperationData<'adminListRefunds'>>('GET', '/admin/refunds', {
        query: {
          developId: opts.developer,
          platform: opts.platform,
          status: opts.status,
          orderId: opts.order,
          pageNo: opts.pageNo,
          pageSize: opts.pageSize,
        },
      }),
    ),
  );
  refunds
    .command('get <refundId>')
    .description('Show a refund with its history and the ledger transaction that credited it')
    .action((refundId: string, _opts: unknown, cmd: Command) =>
      run(cmd, (a) =>
        a.request<OperationData<'adminGetRefund'>>('GET', `/admin/refunds/${encodeURIComponent(refundId)}`),
      ),
    );
}

// -- Callback messages: delivery state, listing, attempts, redelivery, re-enabling a URL ------------
const MESSAGE_STATUSES = ['held', 'pending', 'delivered', 'failed'] as const;

function messageStatus(raw: string): (typeof MESSAGE_STATUSES)[number] {
  const found = MESSAGE_STATUSES.find((s) => s === raw);
  if (!found) throw new InvalidArgumentError(`expected one of ${MESSAGE_STATUSES.join(', ')}`);
  return found;
}

function platform(raw: string): 0 | 1 {
  if (raw !== '0' && raw !== '1') throw new InvalidArgumentError('expected 0 (Taobao) or 1 (1688)');
  return raw === '0' ? 0 : 1;
}

/** A time as an ISO 8601 date (`2026-12-01T08:00:00Z`) or epoch milliseconds. */
function instant(raw: string): number {
  const ms = /^\d+$/.test(raw) ? Number(raw) : /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isSafeInteger(ms)) throw new InvalidArgumentError('expected an ISO 8601 time or epoch milliseconds');
  return ms;
}

interface MessageListOptions {
  developer: string;
  type?: string;
  platform?: 0 | 1;
  object?: string;
  status?: (typeof MESSAGE_STATUSES)[number];
  since?: number;
  until?: number;
  pageNo?: number;
  pageSize?: number;
}

interface RedeliverOptions {
  developer: string;
  message?: string;
  since?: number;
  until?: number;
  onlyFailed?: boolean;
}

/** The redelivery's form from the options: a message, or a range; the command fails on anything else. */
function redeliverInput(opts: RedeliverOptions, cmd: Command) {
  const ranged = opts.since !== undefined || opts.until !== undefined || opts.onlyFailed !== undefined;
  if (opts.message !== undefined) {
    if (ranged) cmd.error('error: pass either --message, or --since and --until (with --only-failed), not both');
    return { messageId: opts.message };
  }
  if (opts.since === undefined || opts.until === undefined) {
    return cmd.error('error: pass --message, or both --since and --until');
  }
  return { startTime: opts.since, endTime: opts.until, ...(opts.onlyFailed ? { onlyFailed: true } : {}) };
}

function registerMessages(admin: Command): void {
  const messages = admin.command('messages').description("Developers' callback messages and their delivery");
  messages
    .command('state')
    .description("A developer's callback settings, messages counted by delivery status, and the last attempt")
    .requiredOption('--developer <developId>', 'Developer id')
    .action((opts: { developer: string }, cmd: Command) => run(cmd, (a) => a.messages.state(opts.developer)));
  pagingOptions(
    messages
      .command('list')
      .description("List a developer's messages, newest first, with their delivery state")
      .requiredOption('--developer <developId>', 'Developer id')
      .option('--type <messageType>', 'Only this message type')
      .option('--platform <0|1>', 'Only this platform: 0 Taobao, 1 1688', platform)
      .option('--object <objectId>', 'Only the messages about this order or refund')
      .option('--status <status>', `Only this delivery status: ${MESSAGE_STATUSES.join(', ')}`, messageStatus)
      .option('--since <time>', 'Written at or after (ISO 8601 or epoch ms)', instant)
      .option('--until <time>', 'Written before (ISO 8601 or epoch ms)', instant),
  ).action((opts: MessageListOptions, cmd: Command) =>
    run(cmd, (a) =>
      a.messages.list(opts.developer, {
        messageType: opts.type,
        messagePlatform: opts.platform,
        objectId: opts.object,
        status: opts.status,
        startTime: opts.since,
        endTime: opts.until,
        pageNo: opts.pageNo,
        pageSize: opts.pageSize,
      }),
    ),
  );
  messages
    .command('attempts')
    .description("A message's delivery attempts, oldest first")
    .requiredOption('--message <messageId>', 'Message id')
    .action((opts: { message: string }, cmd: Command) => run(cmd, (a) => a.messages.attempts(opts.message)));
  messages
    .command('redeliver')
    .description('Queue one message (--message) or a range (--since, --until) of a developer again')
    .requiredOption('--developer <developId>', 'Developer id')
    .option('--message <messageId>', 'The message to deliver again')
    .option('--since <time>', 'Messages written at or after (ISO 8601 or epoch ms)', instant)
    .option('--until <time>', 'Messages written before (ISO 8601 or epoch ms); at most 30 days after --since', instant)
    .option('--only-failed', 'Only the messages whose retry schedule ran out')
    .action((opts: RedeliverOptions, cmd: Command) => {
      const input = redeliverInput(opts, cmd);
      return run(cmd, (a) => a.messages.redeliver(opts.developer, input));
    });
  messages
    .command('enable')
    .description("Re-enable a developer's callback URL that delivery disabled (held messages wait for redeliver)")
    .requiredOption('--developer <developId>', 'Developer id')
    .action((opts: { developer: string }, cmd: Command) => run(cmd, (a) => a.messages.enable(opts.developer)));
}

/** `ponte admin …`: the operator API over HTTP, through the SDK's admin client. */
export function registerAdminCommands(program: Command): void {
  const admin = program
    .command('admin')
    .description(
      'Operate a running server: developers, keys, sub-accounts, dead letters, top-ups, vouchers, refunds, the warehouse, parcels, rate cards and callback messages (prints JSON)',
    )
    .option('--url <url>', 'Server URL', `http://127.0.0.1:${process.env.PORT || 3000}`)
    .option(
      '--token <token>',
      'Operator token (default: PONTE_ADMIN_TOKEN, else <PONTE_DATA_DIR or ./data>/admin-token)',
    )
    .option('--compact', 'Print JSON on one line');
  registerDevelopers(admin);
  registerKeys(admin);
  registerUsers(admin);
  registerDeadLetters(admin);
  registerTopup(admin);
  registerVouchers(admin);
  registerRefunds(admin);
  registerFreight(admin);
  registerWarehouse(admin);
  registerShipments(admin);
  registerMessages(admin);
}
