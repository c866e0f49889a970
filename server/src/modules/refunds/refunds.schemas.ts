import type { AuthContext } from '../../platform/auth/credentials.js';
import type { AppDeps } from '../../platform/deps.js';
import type { ErrorCode } from '../../platform/http/errors.js';
import type { Language } from '../../platform/http/i18n.js';
import { Int, Text, Type } from '../../platform/http/schema.js';
import { LookupId } from '../../platform/http/v2/annotations.js';
import { EVIDENCE_MAX_PICTURES, evidenceUrls, resolveEvidence } from './evidence.js';
import type { RefundAggregate } from './refunds.repo.js';
import { toRefundOrderAggregate } from './taobao-view.js';

/** Shared pieces of the after-sales routes' schemas. */

/**
 * A refund id as the API answers it: decimal for Taobao, `TQ` + decimal for 1688. Numbers are accepted too. On v2
 * any text is, and one of another form is an unknown refund (PandaPon's v2 example sends `"refundId": "string"`).
 */
export const RefundId = (description: string, example = '1796214365581049856') =>
  LookupId(
    'refund',
    Type.String({ description, examples: [example], pattern: '^(TQ)?[0-9]{1,20}$', minLength: 1, maxLength: 22 }),
  );

const PICTURES =
  `at most ${EVIDENCE_MAX_PICTURES}: paths answered by \`/alibaba/refund/voucher/upload\` (\`evidence/…\`, also with ` +
  'its domain or as the signed link it answered), or pictures as `data:image/…;base64,…` URLs (JPEG, GIF, PNG or BMP, ' +
  'at most 1 MB each, checked by their content)';

/** Pictures as Taobao sends them: one string, comma-separated, or an array. */
export const TaobaoPictures = (what: string) =>
  Type.Optional(
    Type.Union(
      [Type.String({ maxLength: 16_000_000 }), Type.Array(Type.String({ maxLength: 1_500_000 }), { maxItems: 50 })],
      {
        description: `${what}: a comma-separated string or an array, ${PICTURES}`,
        examples: ['evidence/2100007344019/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg'],
      },
    ),
  );

/** 1688's `vouchers`: an array (or null). */
export const AlibabaVouchers = Type.Optional(
  Type.Union([Type.Array(Type.String({ maxLength: 1_500_000 }), { maxItems: 50 }), Type.Null()], {
    description: `Evidence pictures, ${PICTURES}`,
    examples: [['evidence/2100007344019/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg']],
  }),
);

/** Room for ten pictures of 1 MB in base64 in one request. */
export const picturesBodyLimit = (config: AppDeps['config']) =>
  Math.max(config.bodyLimit, Math.ceil((EVIDENCE_MAX_PICTURES * 1_048_576 * 4) / 3) + 262_144);

/**
 * What every after-sales route that asks the marketplace to change something shares: signed, idempotent, its own
 * transactions around the marketplace's call, the codes of a refund not found or in the wrong state and of the
 * marketplace's failures, and room for pictures.
 */
export const REFUND_WRITE = {
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 40901, 50201, 50401, 50402],
  bodyLimit: picturesBodyLimit,
} as const satisfies {
  auth: 'signed';
  mutation: true;
  ownTransactions: true;
  errors: ErrorCode[];
  bodyLimit: typeof picturesBodyLimit;
};

/** The picture references of a comma-separated string: a `data:` URL's own comma does not split it. */
export function splitPictures(value: string | string[] | null | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v) => v.trim()).filter((v) => v.length > 0);
  const out: string[] = [];
  for (const token of value.split(',')) {
    const last = out.at(-1);
    if (last !== undefined && /^data:[^,]*;base64$/i.test(last)) out[out.length - 1] = `${last},${token.trim()}`;
    else out.push(token.trim());
  }
  return out.filter((v) => v.length > 0);
}

/** Checks and stores the caller's pictures: their file-store keys. */
export function picturesOf(
  deps: AppDeps,
  auth: AuthContext,
  value: string | string[] | null | undefined,
  field: string,
): Promise<string[]> {
  return resolveEvidence(deps, auth.developId, splitPictures(value), field);
}

export const Description = (what: string, max: number, example = '') => Type.Optional(Text(what, max, example));

export const Fen = (description: string, example?: number) =>
  Int(`${description} (fen)`, 0, Number.MAX_SAFE_INTEGER, example);

/** The Taobao answer about one reverse order (T20, T22, T24, T25, T19). */
export function taobaoRefundData(deps: AppDeps, agg: RefundAggregate, lang: Language) {
  return {
    distributorId: agg.refund.develop_id,
    currency: 'CNY' as const,
    refundOrderAggregate: toRefundOrderAggregate(agg, lang, (keys) => evidenceUrls(deps, keys), deps.clock.now()),
  };
}
