import alibabaCategoryGet from './routes/alibaba-category-get.js';
import alibabaImageQuery from './routes/alibaba-image-query.js';
import alibabaKeywordQuery from './routes/alibaba-keyword-query.js';
import alibabaProductDetail from './routes/alibaba-product-detail.js';
import alibabaRecommend from './routes/alibaba-recommend.js';
import alibabaRelated from './routes/alibaba-related.js';
import alibabaSellerOffers from './routes/alibaba-seller-offers.js';
import alibabaWangwangUrl from './routes/alibaba-wangwang-url.js';
import marketingGlobalSelect from './routes/marketing-global-select.js';
import marketingHotList from './routes/marketing-hot-list.js';
import marketingStrictSelect from './routes/marketing-strict-select.js';

/** The 1688 goods (A1–A8) and marketing (A32–A34) endpoints of the contract, in the route table's order. */
export const alibabaRoutes = [
  alibabaProductDetail,
  alibabaWangwangUrl,
  alibabaKeywordQuery,
  alibabaImageQuery,
  alibabaSellerOffers,
  alibabaCategoryGet,
  alibabaRecommend,
  alibabaRelated,
  marketingGlobalSelect,
  marketingStrictSelect,
  marketingHotList,
];
