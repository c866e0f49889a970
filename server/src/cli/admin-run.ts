import fs from 'node:fs';
import path from 'node:path';
import { ApiError, NetworkError, PonteAdminClient } from '@ponte/sdk';
import { type Command, InvalidArgumentError } from 'commander';

/** What every `ponte admin` command shares: the server, the operator token, printing results and errors. */

/** Options of `ponte admin`, available to every subcommand. */
export interface AdminOptions {
  url: string;
  token?: string;
  compact?: boolean;
}

export class CliError extends Error {}

export function integer(min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

/** The operator token: `--token`, else PONTE_ADMIN_TOKEN, else the file the server writes on first start. */
export function resolveToken(options: AdminOptions): string {
  if (options.token) return options.token;
  if (process.env.PONTE_ADMIN_TOKEN) return process.env.PONTE_ADMIN_TOKEN;
  const file = path.resolve(process.env.PONTE_DATA_DIR || './data', 'admin-token');
  try {
    const token = fs.readFileSync(file, 'utf8').trim();
    if (token) return token;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  throw new CliError(`no operator token: pass --token, set PONTE_ADMIN_TOKEN, or run where ${file} exists`);
}

export function explain(err: unknown, url: string): string {
  if (err instanceof ApiError) {
    return `error ${err.code}: ${err.msg}${err.requestId ? ` (requestId ${err.requestId})` : ''}`;
  }
  if (err instanceof NetworkError) return `error: no answer from ${url}: ${err.message}`;
  if (err instanceof CliError) return `error: ${err.message}`;
  throw err;
}

/**
 * Runs one admin call and prints its result: text as it is, anything else as JSON; failures go to stderr with exit
 * code 1.
 */
export async function run(cmd: Command, work: (admin: PonteAdminClient) => Promise<unknown>): Promise<void> {
  const options = cmd.optsWithGlobals<AdminOptions>();
  try {
    if (!URL.canParse(options.url)) throw new CliError(`--url: not a URL: ${options.url}`);
    const admin = new PonteAdminClient({ baseUrl: options.url, token: resolveToken(options) });
    const result = await work(admin);
    process.stdout.write(
      typeof result === 'string' ? result : `${JSON.stringify(result, null, options.compact ? undefined : 2)}\n`,
    );
  } catch (err) {
    process.stderr.write(`${explain(err, options.url)}\n`);
    process.exitCode = 1;
  }
}

export function pagingOptions(cmd: Command): Command {
  return cmd
    .option('--page-no <n>', 'Page number, from 1', integer(1, 100_000))
    .option('--page-size <n>', 'Page size, at most 50', integer(1, 50));
}
