import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ensureBuilt } from '../processes.js';

// `ponte` runs the compiled server: build it first when the sources are newer.
await ensureBuilt();

const BIN = fileURLToPath(new URL('../../bin/ponte.js', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ponte admin …` in a child process, without the operator token of the caller's environment. */
export function ponte(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { PONTE_ADMIN_TOKEN: _token, PONTE_DATA_DIR: _dir, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'admin', ...args], { env: { ...inherited, ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The JSON a successful run printed (it must have printed nothing to stderr and exited 0). */
export function json<T>(run: Run): T {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}
