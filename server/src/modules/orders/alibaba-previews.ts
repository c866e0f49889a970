import type { AuthContext } from '../../platform/auth/credentials.js';
import type { AppDeps } from '../../platform/deps.js';
import { notFound } from '../../platform/http/errors.js';
import type { Static } from '../../platform/http/schema.js';
import type { OrderPreview } from '../../providers/types.js';
import { type AddressParam, type Cargo, type SellerCargo, toLineRequests, toReceiver } from './alibaba.schemas.js';
import { previewLines } from './orders.service.js';

/**
 * The market's preview of `cargoParamList` (A10, A14). An offer that does not exist answers 40401 (it has
 * no supplier to preview it with); every other problem stays on its line for the caller to see.
 */
export async function previewOffers(
  deps: AppDeps,
  auth: AuthContext,
  cargos: Static<typeof Cargo>[] | Static<typeof SellerCargo>[],
  address: Static<typeof AddressParam> | null | undefined,
): Promise<OrderPreview> {
  const receiver = address ? toReceiver(address, false) : undefined;
  const preview = await previewLines(deps, '1688', toLineRequests(cargos), auth.userId, receiver);
  const unknown = preview.groups.find((g) => !g.shopId)?.lines.find((l) => l.problem === 'not_found');
  if (unknown) throw notFound('offer', unknown.productId);
  return preview;
}
