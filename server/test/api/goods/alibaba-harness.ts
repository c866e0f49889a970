import { expect } from 'vitest';
import type { Credentials, Reply, TestServer } from '../../harness.js';
import { startGoodsServer } from './goods-harness.js';

/** One good of a 1688 list, as the endpoints answer it. */
export interface Item {
  offerId: number;
  subject: string;
  subjectTrans: string;
  imageUrl: string;
  priceInfo: { price: number };
  monthSold: number;
  minOrderQuantity: number;
  sellerOpenId: string | null;
  categoryId: number;
  strictSelection: boolean;
  shipInToday: boolean;
}

export interface Page<T = Item> {
  totalRecords: number;
  totalPage: number;
  pageSize: number;
  currentPage: number;
  data: T[];
}

/** A 40001 answer naming `field`. */
export function expectInvalid(r: Reply, field: string): void {
  expect(r.status, r.text).toBe(400);
  expect(r.body.code, r.text).toBe(40001);
  expect(r.body.msg, r.text).toContain(`parameter ${field}:`);
}

/** True when `values` never go the wrong way. */
export function ordered(values: number[], direction: 'asc' | 'desc'): boolean {
  return values.every(
    (v, i) => i === 0 || (direction === 'asc' ? v >= (values[i - 1] as number) : v <= (values[i - 1] as number)),
  );
}

/** A server on the sandbox market (a small catalog) with the 1688 endpoints, a developer and its helpers. */
export interface AlibabaServer {
  server: TestServer;
  dev: Credentials;
  /** 1688 offer ids, in catalog order. */
  offerIds: string[];
  /** A signed POST of a 1688 endpoint. */
  post<T = unknown>(url: string, body: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  /** Makes every call of a provider operation fail (`error`, 50201) or hang (`timeout`, 50401). */
  fault(operation: string, kind: 'error' | 'timeout'): Promise<void>;
  clearFaults(): Promise<void>;
  close(): Promise<void>;
}

/** `startGoodsServer` with helpers for the 1688 endpoints. */
export async function startAlibabaServer(env: Record<string, string> = {}): Promise<AlibabaServer> {
  const { server, dev, alibabaIds: offerIds } = await startGoodsServer(env);
  return {
    server,
    dev,
    offerIds,
    post: (url, body, headers = {}) => server.signed(dev, 'POST', url, { body, headers }),
    async fault(operation, kind) {
      const r = await server.admin(
        'PUT',
        `/sandbox/faults/${operation}`,
        kind === 'error' ? { errorRate: 1 } : { timeoutRate: 1 },
      );
      if (r.body.code !== 200) throw new Error(`fault ${operation}: ${r.text}`);
    },
    async clearFaults() {
      await server.admin('DELETE', '/sandbox/faults');
    },
    close: () => server.close(),
  };
}
