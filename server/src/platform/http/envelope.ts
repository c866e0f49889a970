import type { Envelope } from '@ponte/sdk';
import type { FastifyRequest } from 'fastify';
import { ERROR_CODES, type ErrorCode, type ErrorParams, errorMessage, SUCCESS_MESSAGE } from './errors.js';
import { type Language, languageOf, pickLanguage } from './i18n.js';
import { Type } from './schema.js';

/** The answer to every request, success or failure (docs/architecture.md §4); the SDK and the server share it. */
export type { Envelope };

/**
 * The fields that name the request's language: `language`, then 1688's `country`, which despite its
 * name takes the same five language codes (goods' `CountryField` and `answerLanguage`).
 */
const LANGUAGE_FIELDS = ['language', 'country'] as const;

/**
 * The language a body or query names. Read leniently, since an error may be about this very input: a
 * supported value of either field counts, whatever else in the input is wrong.
 */
function namedLanguage(input: unknown): Language | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  for (const name of LANGUAGE_FIELDS) {
    const lang = languageOf((input as Record<string, unknown>)[name]);
    if (lang) return lang;
  }
  return undefined;
}

/**
 * The language of this request's `msg`, for success and errors alike: `language` or `country` in the
 * body, then in the query, then Accept-Language, then English.
 */
export function requestLanguage(req: FastifyRequest): Language {
  return pickLanguage(namedLanguage(req.body) ?? namedLanguage(req.query), req.headers['accept-language']);
}

export function successEnvelope<T>(req: FastifyRequest, data: T): Envelope<T> {
  return {
    requestId: req.id,
    code: 200,
    developId: req.auth?.developId ?? '',
    msg: SUCCESS_MESSAGE[requestLanguage(req)],
    data,
  };
}

export function errorEnvelope(req: FastifyRequest, code: ErrorCode, params: ErrorParams): Envelope<null> {
  return {
    requestId: req.id,
    code,
    developId: req.auth?.developId ?? '',
    msg: errorMessage(code, requestLanguage(req), params),
    data: null,
  };
}

const envelopeFields = {
  requestId: Type.String({ description: 'Id of this request (32 hex); also in the x-request-id header and the logs' }),
  code: Type.Integer({ description: '200 on success; otherwise a five-digit error code (see the error table)' }),
  developId: Type.String({ description: "The calling developer's id, empty when the caller is not known" }),
  msg: Type.String({ description: 'Text for `code` in the request language' }),
};

/** Response schema of a successful answer carrying `data`. */
export function successSchema(data: ReturnType<typeof Type.Object> | ReturnType<typeof Type.Any> | object) {
  return Type.Object(
    { ...envelopeFields, code: Type.Literal(200, { description: '200 on success' }), data: data as never },
    { description: 'Success' },
  );
}

/** Response schema of an error answer, for one HTTP status, listing the codes a route can answer with it. */
export function errorSchema(codes: ErrorCode[]) {
  const described = codes.map((c) => `\`${c}\` ${ERROR_CODES[c].name}: ${ERROR_CODES[c].en}`).join('; ');
  return Type.Object(
    {
      ...envelopeFields,
      code: Type.Unsafe<number>({ type: 'integer', enum: codes, description: 'Error code' }),
      data: Type.Null(),
    },
    { description: described },
  );
}
