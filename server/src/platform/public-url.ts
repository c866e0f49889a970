import type { Config } from '../config.js';

/**
 * The base URL clients reach the server at, for links the API hands out (product pictures).
 * `PUBLIC_URL` when configured; otherwise the address the server ends up listening on.
 */
export class PublicUrl {
  private url: string;

  constructor(
    private readonly configured: string | undefined,
    host: string,
    port: number,
  ) {
    this.url = configured ?? PublicUrl.of(host, port);
  }

  get(): string {
    return this.url;
  }

  /** Called once the server listens (port 0 becomes a real port). */
  listeningOn(host: string, port: number): void {
    if (!this.configured) this.url = PublicUrl.of(host, port);
  }

  static fromConfig(config: Config): PublicUrl {
    return new PublicUrl(config.publicUrl, config.host, config.port);
  }

  private static of(host: string, port: number): string {
    const name =
      host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    return `http://${name}:${port}`;
  }
}
