import { defineRoute } from '../../../platform/http/route.js';
import { vouchersRepo } from '../payments.repo.js';
import { toVoucher, VoucherListQuery, VoucherPage } from '../payments.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/vouchers',
  operationId: 'adminListVouchers',
  summary: 'List payment vouchers',
  description:
    'Vouchers of one `status` (default `pending`), optionally of one developer. Pending vouchers come oldest first, ' +
    'the queue to review; approved and rejected ones most recently reviewed first.',
  tags: ['Admin'],
  auth: 'admin',
  query: VoucherListQuery,
  data: VoucherPage,
  handler: async ({ deps, db, query }) => {
    const pageSize = query.pageSize ?? 20;
    const { total, rows } = await vouchersRepo.page(db, {
      status: query.status ?? 'pending',
      developId: query.developId,
      offset: ((query.pageNo ?? 1) - 1) * pageSize,
      limit: pageSize,
    });
    const base = deps.publicUrl.get();
    return { list: rows.map((r) => toVoucher(r, base)), total };
  },
});
