import type { OperationData, PonteAdminClient } from '@ponte/sdk';
import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.js';
import { loadMasterKey } from '../platform/bootstrap.js';
import { SecretBox } from '../platform/crypto/secret-box.js';
import { type AdminOptions, CliError, run } from './admin-run.js';

/**
 * `ponte upstream authorize|status|refresh`: authorising Ponte on a real upstream's account and watching its token
 * (docs/adr/0016-real-upstreams.md), through the admin API of a running server, as `ponte admin` does.
 */

type Platform = '1688' | 'taobao';

interface UpstreamOptions extends AdminOptions {
  json?: boolean;
}

/** What `GET /admin/upstreams` answers for one platform, and what an authorisation's start answers. */
type UpstreamStatus = OperationData<'adminUpstreamStatus'>['list'][number];
type AuthorizationStarted = OperationData<'adminUpstreamAuthorize'>;

function platform(raw: string): Platform {
  if (raw !== '1688' && raw !== 'taobao') throw new InvalidArgumentError('expected 1688 or taobao');
  return raw;
}

const time = (ms: number | null | undefined) => (ms === null || ms === undefined ? '-' : new Date(ms).toISOString());

function ownerText(s: UpstreamStatus): string {
  if (s.token === 'none') return '-';
  if (s.token === 'configured') return '(AOP_ACCESS_TOKEN)';
  if (!s.authorized) return 'not authorised';
  return s.ownerLogin && s.ownerLogin !== s.owner ? `${s.ownerLogin} (${s.owner})` : (s.owner ?? '');
}

/** The status as a table: platform, mode, owner, and when the token and its refresh token expire. */
export function statusTable(list: UpstreamStatus[]): string {
  const rows = [
    ['PLATFORM', 'MODE', 'OWNER', 'EXPIRES', 'REFRESH EXPIRES'],
    ...list.map((s) => [s.platform, s.mode, ownerText(s), time(s.expiresAt), time(s.refreshExpiresAt)]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return `${rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** Runs one call through `ponte admin`'s plumbing, with this command's options (`--json`). */
function call(
  cmd: Command,
  work: (admin: PonteAdminClient, options: UpstreamOptions) => Promise<string | object>,
): Promise<void> {
  return run(cmd, (admin) => work(admin, cmd.optsWithGlobals<UpstreamOptions>()));
}

export function registerUpstreamCommands(program: Command): void {
  const upstream = program
    .command('upstream')
    .description("The real upstreams (1688's open platform, Taobao Global): authorise Ponte, see and refresh tokens")
    .option('--url <url>', 'Server URL', `http://127.0.0.1:${process.env.PORT || 3000}`)
    .option(
      '--token <token>',
      'Operator token (default: PONTE_ADMIN_TOKEN, else <PONTE_DATA_DIR or ./data>/admin-token)',
    )
    .option('--json', 'Print the server’s answer as JSON');

  upstream
    .command('seal-secret')
    .description(
      'Seal an app secret (read from standard input) with the master key, for AOP_APP_SECRET or ' +
        'TAOBAO_GLOBAL_APP_SECRET: the configuration then holds no secret in the clear',
    )
    .action(async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      const secret = Buffer.concat(chunks).toString('utf8').trim();
      if (!secret) throw new CliError('give the secret on standard input');
      const box = new SecretBox(loadMasterKey(loadConfig()));
      process.stdout.write(`${box.seal(secret)}\n`);
    });

  upstream
    .command('authorize')
    .description('Print the address where the account owner authorises Ponte (valid 10 minutes, once)')
    .argument('<platform>', '1688 or taobao', platform)
    .action((p: Platform, _opts: unknown, cmd: Command) =>
      call(cmd, async (admin, options) => {
        const started = await admin.request<AuthorizationStarted>(
          'POST',
          `/admin/upstreams/${encodeURIComponent(p)}/authorize`,
        );
        if (options.json) return started;
        return (
          `Open this address in the browser of the ${p} account Ponte buys as, before ${time(started.expiresAt)}:\n\n` +
          `  ${started.url}\n\n` +
          `After the owner agrees, the browser returns to ${started.redirectUri}\n` +
          'and Ponte stores the token (check with: ponte upstream status).\n'
        );
      }),
    );

  upstream
    .command('status')
    .description("Each platform's upstream, and whose its token is and when it expires")
    .action((_opts: unknown, cmd: Command) =>
      call(cmd, async (admin, options) => {
        const answer = await admin.request<{ list: UpstreamStatus[] }>('GET', '/admin/upstreams');
        return options.json ? answer : statusTable(answer.list);
      }),
    );

  upstream
    .command('refresh')
    .description("Refresh a platform's stored token now")
    .argument('<platform>', '1688 or taobao', platform)
    .action((p: Platform, _opts: unknown, cmd: Command) =>
      call(cmd, async (admin, options) => {
        const status = await admin.request<UpstreamStatus>('POST', `/admin/upstreams/${encodeURIComponent(p)}/refresh`);
        return options.json ? status : statusTable([status]);
      }),
    );
}
