import type { OperationBody, OperationData, OperationQuery } from './operations.js';
import { rfc3986 } from './signing.js';
import type { CallOptions, MutationOptions, RequestOptions } from './transport.js';

/** What the operator's logistics resources need from {@link PonteAdminClient}. */
interface Requester {
  request<T>(method: string, path: string, options?: Omit<RequestOptions, 'userId'>): Promise<T>;
}

export type ReceiptInput = OperationBody<'adminWarehouseReceive'>;
export type Receipt = OperationData<'adminWarehouseReceive'>;
export type AdminWarehouseItem = OperationData<'adminWarehouseItemGet'>;
export type AdminWarehouseItemPage = OperationData<'adminWarehouseItemList'>;
export type AdminWarehouseItemQuery = OperationQuery<'adminWarehouseItemList'>;
export type InspectionInput = OperationBody<'adminWarehouseItemInspect'>;
export type Inspection = OperationData<'adminWarehouseItemInspect'>;
export type ReturnInput = OperationBody<'adminWarehouseItemReturn'>;
export type WarehouseExceptionPage = OperationData<'adminWarehouseExceptionList'>;
export type WarehouseExceptionQuery = OperationQuery<'adminWarehouseExceptionList'>;
export type ExceptionResolution = OperationBody<'adminWarehouseExceptionResolve'>;
export type ResolvedException = OperationData<'adminWarehouseExceptionResolve'>;
export type AdminShipment = OperationData<'adminShipmentGet'>;
export type AdminShipmentPage = OperationData<'adminShipmentList'>;
export type AdminShipmentQuery = OperationQuery<'adminShipmentList'>;
export type PackInput = OperationBody<'adminShipmentPack'>;
export type ShipInput = OperationBody<'adminShipmentShip'>;
export type RateCardImport = OperationData<'adminImportFreightChannels'>;
export type RateCardExport = OperationData<'adminExportFreightChannels'>;

const seg = (value: string) => rfc3986(value);

/**
 * The warehouse's work (`/admin/warehouse/*`): receive domestic parcels by tracking number, inspect the goods with
 * photos, resolve the parcels that matched nothing, send back what cannot be shipped.
 */
export class AdminWarehouse {
  constructor(private readonly admin: Requester) {}

  /** Receives a domestic parcel: its expected goods become `received`, or an exception opens when none match. */
  receive(input: ReceiptInput, options: MutationOptions = {}): Promise<Receipt> {
    return this.admin.request('POST', '/admin/warehouse/receipts', { ...options, body: input });
  }

  /** One page of items across developers. */
  items(query: AdminWarehouseItemQuery = {}, options: CallOptions = {}): Promise<AdminWarehouseItemPage> {
    return this.admin.request('GET', '/admin/warehouse/items', { ...options, query });
  }

  /** One item with its history. @throws {ApiError} 40401 when unknown. */
  item(itemId: string, options: CallOptions = {}): Promise<AdminWarehouseItem> {
    return this.admin.request('GET', `/admin/warehouse/items/${seg(itemId)}`, options);
  }

  /**
   * Records an inspection: quantity, condition, photos (base64), weight and size; `ok` stores the item, anything else
   * makes it an exception, and `refund` asks the marketplace to refund the line.
   */
  inspect(itemId: string, input: InspectionInput, options: MutationOptions = {}): Promise<Inspection> {
    return this.admin.request('POST', `/admin/warehouse/items/${seg(itemId)}/inspect`, { ...options, body: input });
  }

  /** Sends an item in exception back to its seller. */
  returnItem(itemId: string, input: ReturnInput = {}, options: MutationOptions = {}): Promise<AdminWarehouseItem> {
    return this.admin.request('POST', `/admin/warehouse/items/${seg(itemId)}/return`, { ...options, body: input });
  }

  /** The parcels received that matched no expected goods. */
  exceptions(query: WarehouseExceptionQuery = {}, options: CallOptions = {}): Promise<WarehouseExceptionPage> {
    return this.admin.request('GET', '/admin/warehouse/exceptions', { ...options, query });
  }

  /** Matches an exception's parcel to expected items, or records it returned. */
  resolve(exceptionId: string, input: ExceptionResolution, options: MutationOptions = {}): Promise<ResolvedException> {
    return this.admin.request('POST', `/admin/warehouse/exceptions/${seg(exceptionId)}/resolve`, {
      ...options,
      body: input,
    });
  }
}

/**
 * International parcels (`/admin/shipments/*`): pack the stored items of a booking into one parcel (its real freight
 * settled against the estimate, once), ship it, mark it delivered, or cancel a booking not packed yet.
 */
export class AdminShipments {
  constructor(private readonly admin: Requester) {}

  list(query: AdminShipmentQuery = {}, options: CallOptions = {}): Promise<AdminShipmentPage> {
    return this.admin.request('GET', '/admin/shipments', { ...options, query });
  }

  get(shipmentId: string, options: CallOptions = {}): Promise<AdminShipment> {
    return this.admin.request('GET', `/admin/shipments/${seg(shipmentId)}`, options);
  }

  /**
   * Packs items into the parcel, weighed and measured: the gap to the estimate is charged, or the surplus refunded,
   * once. @throws {ApiError} 42201 the balance does not cover the gap (nothing is packed), 40901 already packed.
   */
  pack(shipmentId: string, input: PackInput, options: MutationOptions = {}): Promise<AdminShipment> {
    return this.admin.request('POST', `/admin/shipments/${seg(shipmentId)}/pack`, { ...options, body: input });
  }

  /** Ships a packed parcel with its international tracking number. */
  ship(shipmentId: string, input: ShipInput, options: MutationOptions = {}): Promise<AdminShipment> {
    return this.admin.request('POST', `/admin/shipments/${seg(shipmentId)}/ship`, { ...options, body: input });
  }

  /** Marks a shipped parcel delivered. */
  deliver(shipmentId: string, options: MutationOptions = {}): Promise<AdminShipment> {
    return this.admin.request('POST', `/admin/shipments/${seg(shipmentId)}/deliver`, options);
  }

  /** Cancels a booking not packed yet; its estimate is refunded once. */
  cancel(shipmentId: string, options: MutationOptions = {}): Promise<AdminShipment> {
    return this.admin.request('POST', `/admin/shipments/${seg(shipmentId)}/cancel`, options);
  }
}

/** The freight rate cards (`/admin/freight/channels/csv`). */
export class AdminFreight {
  constructor(private readonly admin: Requester) {}

  /** The rate cards in use as CSV (`source: 'sample'` until the operator imports its own). */
  exportChannels(options: CallOptions = {}): Promise<RateCardExport> {
    return this.admin.request('GET', '/admin/freight/channels/csv', options);
  }

  /** Replaces the rate cards with a CSV checked whole first. @throws {ApiError} 40001 naming row and column. */
  importChannels(csv: string, options: MutationOptions = {}): Promise<RateCardImport> {
    return this.admin.request('PUT', '/admin/freight/channels/csv', { ...options, body: { csv } });
  }
}
