import { type Logger, type LoggerOptions, pino } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config.js';

/**
 * The process's logger: one JSON object per line (what log collectors read), or, with `LOG_FORMAT=pretty` (the
 * default when standard output is a terminal), one coloured human-readable line per entry. Pretty lines are written
 * synchronously from this thread, so that nothing is lost when the process exits at once after an error.
 */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFormat'>,
  options: LoggerOptions = {},
  /** Where the lines go: standard output unless given. */
  destination?: NodeJS.WritableStream,
): Logger {
  const settings: LoggerOptions = { level: config.logLevel, ...options };
  if (config.logFormat === 'json') return destination ? pino(settings, destination) : pino(settings);
  const stream = pretty({
    ...(destination ? { destination } : {}),
    colorize: destination === undefined && Boolean(process.stdout.isTTY),
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    sync: true,
  });
  return pino(settings, stream);
}
