import type { OperationBody, OperationData } from './operations.js';
import type { CallOptions, MutationOptions, RequestOptions } from './transport.js';

/** What the address resource needs from {@link PonteClient}. */
interface SignedRequest {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

export type Address = OperationData<'saveAddress'>;
export type AddressInput = OperationBody<'saveAddress'>;

/** The acting sub-account's receiving addresses (`/open/address/*`); each sub-account has its own. */
export class AddressesResource {
  constructor(private readonly client: SignedRequest) {}

  /**
   * Adds an address (no `id`, or 0) or replaces one of the sub-account's (F2).
   * @throws {ApiError} 40001 naming a missing part, 40401 unknown id, 40901 beyond 50 addresses.
   */
  save(input: AddressInput, options: MutationOptions & { userId?: string } = {}): Promise<Address> {
    return this.client.request('POST', '/open/address/addOrUpdate', { ...options, body: input });
  }

  /** Every address of the sub-account, the default first, then the newest (F1). */
  list(options: CallOptions & { userId?: string } = {}): Promise<Address[]> {
    return this.client.request('POST', '/open/address/get', { ...options, body: {} });
  }

  /** One address (F1). @throws {ApiError} 40401 when it is not one of the sub-account's. */
  async get(id: string, options: CallOptions & { userId?: string } = {}): Promise<Address> {
    const [address] = await this.client.request<Address[]>('POST', '/open/address/get', { ...options, body: { id } });
    return address as Address;
  }
}
