import { createRoute, lazyRouteComponent, type SearchSchemaInput } from '@tanstack/react-router';
import { developerRoute as parent } from '../../routes/layouts';

export interface ExplorerSearch {
  /** The operation shown (its operationId). */
  op?: string | undefined;
  /** The operations list's filter. */
  q?: string | undefined;
}

const text = (value: unknown, max: number) =>
  typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;

export const explorerRoute = createRoute({
  getParentRoute: () => parent,
  path: 'explorer',
  validateSearch: (search: ExplorerSearch & SearchSchemaInput): ExplorerSearch => ({
    op: text(search.op, 100),
    q: text(search.q, 100),
  }),
  component: lazyRouteComponent(() => import('./ExplorerPage'), 'ExplorerPage'),
});

export const explorerRoutes = [explorerRoute] as const;
