import fs from 'node:fs';
import { type OperationData, PonteAdminClient } from '@ponte/sdk';
import { type Command, InvalidArgumentError } from 'commander';
import { type AdminOptions, CliError, explain, integer, pagingOptions, resolveToken, run } from './admin-run.js';

/** `ponte admin freight|warehouse|shipments`: rate cards, the warehouse's work, international parcels. */

// -- Freight: the rate cards, as CSV --------------------------------------------------------------
export function registerFreight(admin: Command): void {
  const channels = admin
    .command('freight')
    .description('International freight')
    .command('channels')
    .description('The rate cards: channels per destination (sample rates until you import yours)');
  channels
    .command('export')
    .description('Write the rate cards as CSV (to --out, else standard output)')
    .option('--out <file>', 'Write the CSV to this file and print a summary')
    .action(async (opts: { out?: string }, cmd: Command) => {
      if (!opts.out) {
        const options = cmd.optsWithGlobals<AdminOptions>();
        try {
          const admin = new PonteAdminClient({ baseUrl: options.url, token: resolveToken(options) });
          const card = await admin.request<OperationData<'adminExportFreightChannels'>>(
            'GET',
            '/admin/freight/channels/csv',
          );
          process.stdout.write(card.csv);
        } catch (err) {
          process.stderr.write(`${explain(err, options.url)}\n`);
          process.exitCode = 1;
        }
        return;
      }
      const out = opts.out;
      await run(cmd, async (a) => {
        const card = await a.request<OperationData<'adminExportFreightChannels'>>('GET', '/admin/freight/channels/csv');
        fs.writeFileSync(out, card.csv);
        return { file: out, source: card.source, channels: card.channels };
      });
    });
  channels
    .command('import <file>')
    .description('Replace the rate cards with a CSV file (checked whole first; an error names the row and column)')
    .action((file: string, _opts: unknown, cmd: Command) =>
      run(cmd, (a) => {
        let csv: string;
        try {
          csv = fs.readFileSync(file, 'utf8');
        } catch (err) {
          throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
        }
        return a.request<OperationData<'adminImportFreightChannels'>>('PUT', '/admin/freight/channels/csv', {
          body: { csv },
        });
      }),
    );
}

// -- The warehouse: receipts, inspections, exceptions, returns ------------------------------------
const ITEM_STATUSES = [
  'expected',
  'received',
  'inspected',
  'stored',
  'packed',
  'shipped',
  'exception',
  'returned',
] as const;
const CONDITIONS = ['ok', 'damaged', 'wrong_item', 'short'] as const;
const ATTRIBUTES = ['battery', 'liquid', 'powder', 'food', 'brand'] as const;

function oneOf<T extends string>(values: readonly T[]) {
  return (raw: string): T => {
    const found = values.find((v) => v === raw);
    if (!found) throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
    return found;
  };
}

function collect<T>(parse: (raw: string) => T) {
  return (raw: string, previous: T[] = []): T[] => [...previous, parse(raw)];
}

/** `30x20x10` (centimetres) as length, width and height. */
function size(raw: string): { lengthCm: number; widthCm: number; heightCm: number } {
  const m = /^(\d{1,5})x(\d{1,5})x(\d{1,5})$/i.exec(raw);
  if (!m) throw new InvalidArgumentError('expected LxWxH in whole centimetres, such as 30x20x10');
  return { lengthCm: Number(m[1]), widthCm: Number(m[2]), heightCm: Number(m[3]) };
}

function photo(file: string): string {
  try {
    return fs.readFileSync(file).toString('base64');
  } catch (err) {
    throw new InvalidArgumentError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

interface ItemListOptions {
  status?: (typeof ITEM_STATUSES)[number];
  developer?: string;
  tracking?: string;
  order?: string;
  pageNo?: number;
  pageSize?: number;
}

interface InspectOptions {
  quantity: number;
  condition: (typeof CONDITIONS)[number];
  photo?: string[];
  weight?: number;
  size?: { lengthCm: number; widthCm: number; heightCm: number };
  attribute?: (typeof ATTRIBUTES)[number][];
  note?: string;
  refund?: boolean;
  reasonId?: string;
  description?: string;
}

export function registerWarehouse(admin: Command): void {
  const warehouse = admin
    .command('warehouse')
    .description('The consolidation warehouse: receive, inspect, resolve exceptions, return');
  warehouse
    .command('receive <trackingNo>')
    .description('Receive a domestic parcel: its expected goods become received, or an exception opens')
    .option('--carrier <name>', 'The domestic carrier')
    .option('--note <text>', 'What the operator saw')
    .action((trackingNo: string, opts: { carrier?: string; note?: string }, cmd: Command) =>
      run(cmd, (a) => a.warehouse.receive({ trackingNo, carrier: opts.carrier, note: opts.note })),
    );
  pagingOptions(
    warehouse
      .command('items')
      .description('List warehouse items across developers, newest first')
      .option('--status <status>', `Only this state: ${ITEM_STATUSES.join(', ')}`, oneOf(ITEM_STATUSES))
      .option('--developer <developId>', "Only this developer's")
      .option('--tracking <trackingNo>', 'Only the goods of this domestic parcel')
      .option('--order <orderId>', 'Only the goods of this order'),
  ).action((opts: ItemListOptions, cmd: Command) =>
    run(cmd, (a) =>
      a.warehouse.items({
        status: opts.status,
        developId: opts.developer,
        trackingNo: opts.tracking,
        orderId: opts.order,
        pageNo: opts.pageNo,
        pageSize: opts.pageSize,
      }),
    ),
  );
  warehouse
    .command('item <itemId>')
    .description('Show one item with its history')
    .action((itemId: string, _opts: unknown, cmd: Command) => run(cmd, (a) => a.warehouse.item(itemId)));
  warehouse
    .command('inspect <itemId>')
    .description('Record an inspection: ok stores the item; anything else makes it an exception')
    .requiredOption('--quantity <n>', 'Units received', integer(0, 100_000))
    .requiredOption('--condition <condition>', CONDITIONS.join(', '), oneOf(CONDITIONS))
    .option('--photo <file>', 'A photo (JPEG, PNG, GIF or BMP, at most 1 MB; repeat, up to 6)', collect(photo))
    .option('--weight <grams>', 'Weight as measured (g)', integer(0, 1_000_000))
    .option('--size <LxWxH>', 'Size as measured (cm), such as 30x20x10', size)
    .option('--attribute <attribute>', `Goods found: ${ATTRIBUTES.join(', ')} (repeat)`, collect(oneOf(ATTRIBUTES)))
    .option('--note <text>', 'What the operator saw')
    .option('--refund', 'Ask the marketplace to refund the line (damaged or wrong goods)')
    .option('--reason-id <id>', "The refund's reason (the marketplace's reason id)")
    .option('--description <text>', "The refund's description")
    .action((itemId: string, opts: InspectOptions, cmd: Command) =>
      run(cmd, (a) =>
        a.warehouse.inspect(itemId, {
          quantityReceived: opts.quantity,
          condition: opts.condition,
          ...(opts.photo ? { photos: opts.photo } : {}),
          ...(opts.weight !== undefined ? { weightG: opts.weight } : {}),
          ...(opts.size ?? {}),
          ...(opts.attribute ? { attributes: opts.attribute } : {}),
          ...(opts.note ? { note: opts.note } : {}),
          ...(opts.refund ? { refund: { reasonId: opts.reasonId, description: opts.description } } : {}),
        }),
      ),
    );
  warehouse
    .command('return <itemId>')
    .description('Send an item in exception back to its seller')
    .option('--note <text>', 'Why, or how it went back')
    .action((itemId: string, opts: { note?: string }, cmd: Command) =>
      run(cmd, (a) => a.warehouse.returnItem(itemId, opts.note ? { note: opts.note } : {})),
    );
  pagingOptions(
    warehouse
      .command('exceptions')
      .description('List the parcels received that matched no expected goods')
      .option('--status <status>', 'open, matched or returned', oneOf(['open', 'matched', 'returned'] as const)),
  ).action((opts: { status?: 'open' | 'matched' | 'returned'; pageNo?: number; pageSize?: number }, cmd: Command) =>
    run(cmd, (a) => a.warehouse.exceptions({ status: opts.status, pageNo: opts.pageNo, pageSize: opts.pageSize })),
  );
  warehouse
    .command('resolve <exceptionId>')
    .description('Resolve an exception: match its parcel to expected items (--match), or record it returned (--return)')
    .option('--match <itemId>', 'An expected item the parcel holds (repeat)', collect(String))
    .option('--return', 'The parcel was sent back')
    .option('--note <text>', 'Why')
    .action((exceptionId: string, opts: { match?: string[]; return?: boolean; note?: string }, cmd: Command) =>
      run(cmd, (a) => {
        if (Boolean(opts.match) === Boolean(opts.return))
          throw new CliError('give either --match <itemId> or --return');
        const input = opts.match
          ? { action: 'match' as const, itemIds: opts.match, ...(opts.note ? { note: opts.note } : {}) }
          : { action: 'return' as const, ...(opts.note ? { note: opts.note } : {}) };
        return a.warehouse.resolve(exceptionId, input);
      }),
    );
}

// -- International parcels: pack (and settle), ship, deliver, cancel -------------------------------
const SHIPMENT_STATUSES = ['booked', 'packed', 'shipped', 'delivered', 'cancelled'] as const;

export function registerShipments(admin: Command): void {
  const shipments = admin
    .command('shipments')
    .description('International parcels: pack (the freight settled), ship, deliver, cancel');
  pagingOptions(
    shipments
      .command('list')
      .description('List parcels across developers, newest first')
      .option('--status <status>', SHIPMENT_STATUSES.join(', '), oneOf(SHIPMENT_STATUSES))
      .option('--developer <developId>', "Only this developer's"),
  ).action(
    (
      opts: { status?: (typeof SHIPMENT_STATUSES)[number]; developer?: string; pageNo?: number; pageSize?: number },
      cmd: Command,
    ) =>
      run(cmd, (a) =>
        a.shipments.list({
          status: opts.status,
          developId: opts.developer,
          pageNo: opts.pageNo,
          pageSize: opts.pageSize,
        }),
      ),
  );
  shipments
    .command('get <shipmentId>')
    .description('Show a parcel with its lines, items, settlement and history')
    .action((id: string, _opts: unknown, cmd: Command) => run(cmd, (a) => a.shipments.get(id)));
  shipments
    .command('pack <shipmentId>')
    .description('Pack stored items into the parcel, weighed and measured; the freight is settled against the estimate')
    .requiredOption('--item <itemId>', 'A stored warehouse item of the booking (repeat)', collect(String))
    .requiredOption('--weight <grams>', 'The parcel’s weight (g)', integer(1, 1_000_000))
    .requiredOption('--size <LxWxH>', 'The parcel’s size (cm), such as 40x30x20', size)
    .action(
      (
        id: string,
        opts: { item: string[]; weight: number; size: { lengthCm: number; widthCm: number; heightCm: number } },
        cmd: Command,
      ) => run(cmd, (a) => a.shipments.pack(id, { itemIds: opts.item, weightG: opts.weight, ...opts.size })),
    );
  shipments
    .command('ship <shipmentId>')
    .description('Ship a packed parcel with its international tracking number')
    .requiredOption('--carrier <name>', 'The international carrier')
    .requiredOption('--tracking <trackingNo>', 'Its tracking number')
    .action((id: string, opts: { carrier: string; tracking: string }, cmd: Command) =>
      run(cmd, (a) => a.shipments.ship(id, { carrier: opts.carrier, trackingNo: opts.tracking })),
    );
  shipments
    .command('deliver <shipmentId>')
    .description('Mark a shipped parcel delivered')
    .action((id: string, _opts: unknown, cmd: Command) => run(cmd, (a) => a.shipments.deliver(id)));
  shipments
    .command('cancel <shipmentId>')
    .description('Cancel a booking not packed yet; its estimate is refunded')
    .action((id: string, _opts: unknown, cmd: Command) => run(cmd, (a) => a.shipments.cancel(id)));
}
