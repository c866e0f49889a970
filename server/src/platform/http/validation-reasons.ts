import { createRequire } from 'node:module';
import { format, type Language } from './i18n.js';

/** What the error envelope needs of an Ajv error: its keyword, its params and Ajv's English message. */
export interface ValidationIssue {
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * Vietnamese, which ajv-i18n lacks: one sentence per Ajv keyword, with the params Ajv gives it
 * (`limit`, `pattern`, `format`...). Keywords not listed get the generic sentence.
 */
const VI: Record<string, string> = {
  minimum: 'phải lớn hơn hoặc bằng {limit}',
  maximum: 'phải nhỏ hơn hoặc bằng {limit}',
  exclusiveMinimum: 'phải lớn hơn {limit}',
  exclusiveMaximum: 'phải nhỏ hơn {limit}',
  multipleOf: 'phải là bội số của {multipleOf}',
  minLength: 'không được ngắn hơn {limit} ký tự',
  maxLength: 'không được dài hơn {limit} ký tự',
  pattern: 'phải khớp với mẫu "{pattern}"',
  format: 'phải đúng định dạng "{format}"',
  minItems: 'không được ít hơn {limit} phần tử',
  maxItems: 'không được nhiều hơn {limit} phần tử',
  additionalItems: 'không được nhiều hơn {limit} phần tử',
  items: 'không được nhiều hơn {limit} phần tử',
  uniqueItems: 'không được có phần tử trùng nhau (phần tử {j} và {i} giống nhau)',
  contains: 'phải chứa ít nhất {minContains} phần tử hợp lệ',
  minProperties: 'không được có ít hơn {limit} thuộc tính',
  maxProperties: 'không được có nhiều hơn {limit} thuộc tính',
  required: 'thiếu thuộc tính bắt buộc {missingProperty}',
  dependencies: 'phải có thuộc tính {deps} khi có thuộc tính {property}',
  dependentRequired: 'phải có thuộc tính {deps} khi có thuộc tính {property}',
  additionalProperties: 'không được có thuộc tính ngoài các thuộc tính đã khai báo',
  unevaluatedProperties: 'không được có thuộc tính ngoài các thuộc tính đã khai báo',
  propertyNames: 'tên thuộc tính "{propertyName}" không hợp lệ',
  type: 'phải là {type}',
  const: 'phải bằng giá trị cố định',
  enum: 'phải là một trong các giá trị cho phép',
  anyOf: 'phải khớp với một trong các dạng cho phép',
  oneOf: 'phải khớp với đúng một trong các dạng cho phép',
  not: 'không được khớp với dạng bị cấm',
  if: 'phải khớp với nhánh "{failingKeyword}"',
};

const VI_INVALID = 'giá trị không hợp lệ';

const VI_TYPES: Record<string, string> = {
  integer: 'số nguyên',
  number: 'số',
  string: 'chuỗi',
  boolean: 'giá trị đúng/sai',
  object: 'đối tượng',
  array: 'mảng',
  null: 'null',
};

function vietnamese(issue: ValidationIssue): string {
  const template = VI[issue.keyword];
  if (!template) return VI_INVALID;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(issue.params)) {
    params[name] = typeof value === 'number' ? value : Array.isArray(value) ? value.join(', ') : String(value);
  }
  if (issue.keyword === 'type') {
    params.type = String(issue.params.type ?? '')
      .split(',')
      .map((t) => VI_TYPES[t] ?? t)
      .join(' hoặc ');
  }
  return format(template, params);
}

type Localize = (errors: object[]) => void;

// ajv-i18n is CommonJS and its types declare an ES default export it does not have: required, not imported.
const localize = createRequire(import.meta.url)('ajv-i18n') as Record<Exclude<Language, 'vi'>, Localize>;

/** ajv-i18n's localisers of the languages it has (its English is Ajv's own). */
const AJV_I18N: Record<Exclude<Language, 'vi'>, Localize> = {
  en: localize.en,
  zh: localize.zh,
  th: localize.th,
  es: localize.es,
};

/** Why Ajv refused a value, in `lang`: ajv-i18n's words where it has the language, the project's otherwise. */
export function validationReason(issue: ValidationIssue, lang: Language): string {
  if (lang === 'vi') return vietnamese(issue);
  if (lang === 'en' && issue.message) return issue.message;
  const copy: { keyword: string; params: Record<string, unknown>; message?: string } = {
    keyword: issue.keyword,
    params: issue.params,
  };
  AJV_I18N[lang]([copy]);
  return copy.message ?? issue.message ?? 'invalid';
}
