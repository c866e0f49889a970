import { notFound } from '../../../platform/http/errors.js';
import type { Language } from '../../../platform/http/i18n.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Int, type Static, Type } from '../../../platform/http/schema.js';
import type { Localized, ProviderCategory } from '../../../providers/types.js';
import { answerLanguage, CountryField, LanguageOrCountryField } from '../alibaba.schemas.js';

const CategoryId = (description: string) => Int(description, 0, Number.MAX_SAFE_INTEGER);
const Name = { name: Type.String({ description: 'Name, original Chinese' }) };
const NameTrans = { nameTrans: Type.String({ description: 'Name in the requested language' }) };

const AlibabaCategory = Type.Object({
  categoryId: CategoryId('Category id; 0 is the root, whose children are the top-level categories'),
  ...Name,
  ...NameTrans,
  parentId: Type.Union([CategoryId('Parent category id'), Type.Null()], {
    description: 'Parent category id: 0 for a top-level category, null for the root',
  }),
  path: Type.Array(Type.Object({ categoryId: CategoryId('Category id'), ...Name, ...NameTrans }), {
    description: 'From the top-level category down to this one (empty for the root)',
  }),
  children: Type.Array(
    Type.Object({
      categoryId: CategoryId('Category id'),
      ...Name,
      ...NameTrans,
      leaf: Type.Boolean({ description: 'True when this child has no subcategories' }),
    }),
    { description: 'Direct subcategories' },
  ),
  leaf: Type.Boolean({ description: 'True when the category has no subcategories (goods are filed in leaves)' }),
});

const named = (c: { categoryId: string; name: Localized }, lang: Language) => ({
  categoryId: Number(c.categoryId),
  name: c.name.zh,
  nameTrans: c.name[lang],
});

function toCategory(c: ProviderCategory, lang: Language): Static<typeof AlibabaCategory> {
  const root = c.categoryId === '0';
  return {
    ...named(c, lang),
    parentId: root ? null : Number(c.parentId ?? 0),
    path: c.path.map((p) => named(p, lang)),
    children: c.children.map((child) => ({ ...named(child, lang), leaf: child.leaf })),
    leaf: c.leaf,
  };
}

export default defineRoute({
  method: 'POST',
  url: '/alibaba/category/get',
  operationId: 'alibabaCategory',
  summary: 'Query a 1688 category with its names in several languages',
  description:
    'A category with its path from the top level and its direct subcategories, each named in Chinese and in the ' +
    'requested language. Without `categoryId` (or with `0`), the root: its children are the top-level ' +
    'categories. Category ids filter the searches (`categoryId`). An unknown id answers 40401.',
  tags: ['1688 goods'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: Type.Object(
    {
      categoryId: Type.Optional(
        Type.Union([Type.String({ pattern: '^([0-9]{1,20})?$', maxLength: 20 }), Type.Null()], {
          description: 'Category id (an integer, or its digits in a string); omitted, empty, null or 0: the root',
          examples: ['103000'],
        }),
      ),
      language: LanguageOrCountryField,
      country: CountryField,
    },
    { additionalProperties: false },
  ),
  data: AlibabaCategory,
  handler: async ({ deps, body, lang }) => {
    const id = body.categoryId && body.categoryId !== '0' ? body.categoryId : undefined;
    const category = await deps.market.alibaba.getCategory(id);
    if (!category) throw notFound('category', body.categoryId ?? '');
    return toCategory(category, answerLanguage(body, lang));
  },
});
