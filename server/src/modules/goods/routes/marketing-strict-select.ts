import { selectionRoute } from './marketing-selection.js';

export default selectionRoute({
  list: 'strict_selection',
  url: '/alibaba/marketing/strict/select/query',
  operationId: 'alibabaStrictSelection',
  summary: 'Search 1688 strict selection goods',
  holds: 'Goods of 1688 strict selection (严选): goods of quality-checked suppliers (`strictSelection` true).',
});
