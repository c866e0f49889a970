import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Text, Type } from '../../../platform/http/schema.js';
import { receiveParcel } from '../receipts.js';
import {
  AdminWarehouseItem,
  toAdminWarehouseItem,
  toWarehouseException,
  WarehouseException,
} from '../warehouse.schemas.js';

export const TrackingNo = (description: string) =>
  Type.String({
    description: `${description}: 4 to 64 letters, digits or -`,
    pattern: '^[A-Za-z0-9-]{4,64}$',
    examples: ['SF1234521212678'],
  });

export default defineRoute({
  method: 'POST',
  url: '/admin/warehouse/receipts',
  operationId: 'adminWarehouseReceive',
  summary: 'Receive a domestic parcel at the warehouse',
  description:
    'Every item expected with this tracking number becomes `received` (storage days count from now; message ' +
    '`WAREHOUSE_ITEM_RECEIVED`): `outcome` `received`. A parcel received before answers the items it matched and ' +
    'changes nothing (`already_received`). A tracking number that matches nothing opens an exception for the operator ' +
    '(`exception`; the same open exception when received again), to resolve by matching it to expected items or ' +
    'recording it returned.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  body: Strict({
    trackingNo: TrackingNo('The domestic tracking number on the parcel'),
    carrier: Type.Optional(Text('The carrier that delivered it', 64, '顺丰速运', 1)),
    note: Type.Optional(Text('What the operator saw', 500, 'box slightly dented')),
  }),
  data: Type.Object({
    trackingNo: Type.String({ description: 'The tracking number received' }),
    outcome: Type.Union([Type.Literal('received'), Type.Literal('already_received'), Type.Literal('exception')], {
      description:
        '`received`: expected items matched and received now; `already_received`: the parcel was received ' +
        'before (nothing changed); `exception`: nothing matched, see `exception`',
      examples: ['received'],
    }),
    items: Type.Array(AdminWarehouseItem, { description: 'The items of the parcel' }),
    exception: Type.Union([WarehouseException, Type.Null()], {
      description: 'The open exception when nothing matched; else null',
    }),
  }),
  handler: async ({ deps, db, body, lang }) => {
    const receipt = await receiveParcel(db, deps, body);
    return {
      trackingNo: body.trackingNo.trim(),
      outcome: receipt.outcome,
      items: receipt.items.map((i) => toAdminWarehouseItem(deps, i, lang)),
      exception: receipt.exception ? toWarehouseException(receipt.exception) : null,
    };
  },
});
