import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { operatorRoute as parent } from '../../routes/layouts';

export const opWarehouseRoute = createRoute({
  getParentRoute: () => parent,
  path: 'warehouse',
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
  component: lazyRouteComponent(() => import('./FreightPage'), 'FreightPage'),
});

export const sandboxRoute = createRoute({
  getParentRoute: () => parent,
  path: 'sandbox',
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
