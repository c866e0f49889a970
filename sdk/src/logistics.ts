import type { OperationBody, OperationData, OperationQuery } from './operations.js';
import { rfc3986 } from './signing.js';
import type { CallOptions, MutationOptions, RequestOptions } from './transport.js';

/** What the logistics resources need from {@link PonteClient}. */
interface SignedRequest {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

type Options = CallOptions & { userId?: string };
type Mutation = MutationOptions & { userId?: string };

export type ItemFreightInput = OperationBody<'freightItemEstimate'>;
export type ItemFreightEstimate = OperationData<'freightItemEstimate'>;
export type FreightPreviewInput = OperationBody<'freightOrderPreview'>;
export type FreightPreview = OperationData<'freightOrderPreview'>;
export type FreightBookingInput = OperationBody<'freightBook'>;
export type FreightBooking = OperationData<'freightBook'>;
export type DomesticLogisticsInput = OperationBody<'warehouseUpdateLogistics'>;
export type DomesticLogisticsResult = OperationData<'warehouseUpdateLogistics'>;
export type Parcel = OperationData<'parcelGet'>;
export type ParcelPage = OperationData<'parcelList'>;
export type ParcelQuery = OperationQuery<'parcelList'>;
export type WarehouseItem = OperationData<'warehouseItemGet'>;
export type WarehouseItemPage = OperationData<'warehouseItemList'>;
export type WarehouseItemQuery = OperationQuery<'warehouseItemList'>;

const seg = (value: string) => rfc3986(value);

/**
 * International logistics (`/open/pp/logistics/*`, W1–W4) and the consolidation warehouse: estimate the freight of an
 * item or an order, book a parcel from a preview (its estimate is charged to the balance once), tell the warehouse
 * about goods bought elsewhere, and follow the goods (warehouse items) and the parcels until delivery. Amounts are
 * fen, weights grams, sizes centimetres. Each warehouse and parcel change also comes as a callback message
 * (`WAREHOUSE_ITEM_*`, `PARCEL_*`).
 */
export class LogisticsResource {
  constructor(private readonly client: SignedRequest) {}

  /** W1: what sending `quantity` units of a SKU to the receiver's country costs on each channel. */
  estimateItem(input: ItemFreightInput, options: Options = {}): Promise<ItemFreightEstimate> {
    return this.client.request('POST', '/open/pp/logistics/itemLogisticsPrice', { ...options, body: input });
  }

  /**
   * W2: a quote per line and channel for an order's goods, with each line's reasons when a channel refuses it, and a
   * `renderId` to book within 24 hours.
   */
  preview(input: FreightPreviewInput, options: Mutation = {}): Promise<FreightPreview> {
    return this.client.request('POST', '/open/pp/logistics/orderRenderFreight', { ...options, body: input });
  }

  /**
   * W4: books the parcels of a preview (one per channel) and charges their estimate to the balance, once: a retry,
   * or a second booking of the same `renderId`, answers the same parcels.
   * @throws {ApiError} 40901 the preview expired, 42201 the balance does not cover the estimate.
   */
  book(input: FreightBookingInput, options: Mutation = {}): Promise<FreightBooking> {
    return this.client.request('POST', '/open/pp/logistics/orderBookingFreight', { ...options, body: input });
  }

  /** W3: your own domestic tracking numbers per line, so that the warehouse expects those parcels. */
  updateDomestic(input: DomesticLogisticsInput, options: Mutation = {}): Promise<DomesticLogisticsResult> {
    return this.client.request('POST', '/open/pp/logistics/updateLogisticInfo', { ...options, body: input });
  }

  /** One page of parcels, newest first. */
  parcels(query: ParcelQuery = {}, options: Options = {}): Promise<ParcelPage> {
    return this.client.request('GET', '/open/pp/logistics/parcels', { ...options, query });
  }

  /** A parcel: lines, channel, estimate, actual freight and settlement, tracking, history. */
  parcel(parcelId: string, options: Options = {}): Promise<Parcel> {
    return this.client.request('GET', `/open/pp/logistics/parcels/${seg(parcelId)}`, options);
  }

  /** Cancels a parcel not packed yet; its estimate comes back to the balance. @throws {ApiError} 40901 once packed. */
  cancelParcel(parcelId: string, options: Mutation = {}): Promise<Parcel> {
    return this.client.request('POST', `/open/pp/logistics/parcels/${seg(parcelId)}/cancel`, options);
  }

  /** One page of the goods at (or expected at) the warehouse, per order line. */
  warehouseItems(query: WarehouseItemQuery = {}, options: Options = {}): Promise<WarehouseItemPage> {
    return this.client.request('GET', '/open/pp/warehouse/items', { ...options, query });
  }

  /** One warehouse item: state, inspection photos, weight, storage days and fee, history. */
  warehouseItem(itemId: string, options: Options = {}): Promise<WarehouseItem> {
    return this.client.request('GET', `/open/pp/warehouse/items/${seg(itemId)}`, options);
  }
}
