import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * The security headers of every answer, computed once by helmet at start (helmet's middleware
 * otherwise rebuilds the same Content-Security-Policy string on every request).
 */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: () => {},
  };
  const middleware = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // The console shows pictures the user picks (blob:, data:) and marketplaces' pictures (https:).
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        frameAncestors: ["'none'"],
        // Served over plain HTTP on loopback by default: do not ask browsers to upgrade.
        upgradeInsecureRequests: null,
      },
    },
  });
  let failure: unknown;
  middleware({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
  });
  if (failure) throw failure;
  headers['cache-control'] = 'no-store';
  return headers;
}
