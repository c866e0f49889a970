import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';

const Company = Type.Object({
  id: Type.String({ description: 'The carrier’s id: its code, as `companyNo`', examples: ['SF'] }),
  companyName: Type.String({ description: 'Name, original Chinese', examples: ['顺丰速运'] }),
  companyNameTrans: Type.String({ description: 'Name in the requested language', examples: ['SF Express'] }),
  companyNo: Type.String({
    description: 'The carrier’s code: what a return shipment’s `logisticsCompanyNo` takes, and what order traces name',
    examples: ['SF'],
  }),
  companyPhone: Type.String({ description: 'Customer service number; empty when not known', examples: [''] }),
  supportPrint: Type.Boolean({ description: 'Whether 1688 prints this carrier’s waybills; always false here' }),
  spelling: Type.String({
    description: 'The name in Latin letters, for sorting and searching the list',
    examples: ['SF Express'],
  }),
});

export default defineRoute({
  method: 'GET',
  url: '/alibaba/logistics/company/list',
  operationId: 'alibabaLogisticsCompanies',
  summary: 'The carriers of 1688',
  description:
    'The domestic carriers a buyer can name when sending goods back to a 1688 seller: give a carrier’s ' +
    '`companyNo` as the `logisticsCompanyNo` of the return shipment. Names are given in Chinese and in the ' +
    'requested language.',
  tags: ['1688 after-sales'],
  auth: 'signed',
  errors: [50201, 50401],
  query: Type.Object({ language: LanguageField, country: LanguageField }, { additionalProperties: false }),
  data: Type.Array(Company, { description: 'The carriers, in the marketplace’s order' }),
  handler: async ({ deps, lang }) => {
    const carriers = await deps.market.alibaba.carriers();
    return carriers.map((c) => ({
      id: c.code,
      companyName: c.name.zh,
      companyNameTrans: c.name[lang],
      companyNo: c.code,
      companyPhone: '',
      supportPrint: false,
      spelling: c.name.en,
    }));
  },
});
