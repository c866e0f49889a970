import { selectionRoute } from './marketing-selection.js';

export default selectionRoute({
  list: 'global_selection',
  url: '/alibaba/marketing/global/select/query',
  operationId: 'alibabaGlobalSelection',
  summary: 'Search 1688 global strict selection goods',
  holds:
    'Goods of 1688’s global strict selection: strict-selection (严选) goods picked for overseas buyers, which ship ' +
    'within 24 hours of payment.',
});
