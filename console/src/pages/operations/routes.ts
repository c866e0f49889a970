import { createRoute, lazyRouteComponent, type SearchSchemaInput, stripSearchParams } from '@tanstack/react-router';
import { operatorRoute as parent } from '../../routes/layouts';
import {
  FREIGHT_DEFAULTS,
  type FreightSearch,
  freightSearch,
  type SandboxSearch,
  SHIPMENTS_DEFAULTS,
  type ShipmentsSearch,
  sandboxSearch,
  shipmentsSearch,
  WAREHOUSE_DEFAULTS,
  type WarehouseSearch,
  warehouseSearch,
} from './search';

export const opWarehouseRoute = createRoute({
  getParentRoute: () => parent,
  path: 'warehouse',
  validateSearch: (input: Partial<WarehouseSearch> & SearchSchemaInput) => warehouseSearch(input),
  search: { middlewares: [stripSearchParams(WAREHOUSE_DEFAULTS)] },
  component: lazyRouteComponent(() => import('./OpWarehousePage'), 'OpWarehousePage'),
});

export const opItemRoute = createRoute({
  getParentRoute: () => parent,
  path: 'warehouse/items/$itemId',
  component: lazyRouteComponent(() => import('./OpItemPage'), 'OpItemPage'),
});

export const shipmentsRoute = createRoute({
  getParentRoute: () => parent,
  path: 'shipments',
  validateSearch: (input: Partial<ShipmentsSearch> & SearchSchemaInput) => shipmentsSearch(input),
  search: { middlewares: [stripSearchParams(SHIPMENTS_DEFAULTS)] },
  component: lazyRouteComponent(() => import('./ShipmentsPage'), 'ShipmentsPage'),
});

export const shipmentRoute = createRoute({
  getParentRoute: () => parent,
  path: 'shipments/$shipmentId',
  component: lazyRouteComponent(() => import('./ShipmentPage'), 'ShipmentPage'),
});

export const freightRoute = createRoute({
  getParentRoute: () => parent,
  path: 'freight',
  validateSearch: (input: Partial<FreightSearch> & SearchSchemaInput) => freightSearch(input),
  search: { middlewares: [stripSearchParams(FREIGHT_DEFAULTS)] },
  component: lazyRouteComponent(() => import('./FreightPage'), 'FreightPage'),
});

export const sandboxRoute = createRoute({
  getParentRoute: () => parent,
  path: 'sandbox',
  validateSearch: (input: SandboxSearch & SearchSchemaInput) => sandboxSearch(input),
  component: lazyRouteComponent(() => import('./SandboxPage'), 'SandboxPage'),
});

export const operationsRoutes = [
  opWarehouseRoute,
  opItemRoute,
  shipmentsRoute,
  shipmentRoute,
  freightRoute,
  sandboxRoute,
] as const;
