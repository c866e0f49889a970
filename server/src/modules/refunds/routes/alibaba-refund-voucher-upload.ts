import { FILES_PATH } from '../../../platform/files/file-store.js';
import { EVIDENCE_PICTURE_MAX_BYTES, readEvidencePicture } from '../../../platform/files/pictures.js';
import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Int, LanguageField, Strict, Text, Type } from '../../../platform/http/schema.js';
import { storeEvidencePicture } from '../evidence.js';

/** Base64 of 1 MB is 1,398,104 characters; the rest leaves room for a `data:` prefix and line breaks. */
const MAX_BASE64_CHARS = 1_500_000;

const Picture = (description: string) =>
  Type.Optional(Text(description, MAX_BASE64_CHARS, 'data:image/png;base64,iVBORw0KGgo...', 0));

export default defineRoute({
  method: 'POST',
  url: '/alibaba/refund/voucher/upload',
  operationId: 'alibabaUploadRefundVoucher',
  summary: 'Upload an evidence picture for a 1688 refund',
  description:
    'Stores a picture to show with a 1688 refund (the `vouchers` of a refund or of a refund message) and answers ' +
    'its path: `imageDomain` + `imageRelativeUrl` is what `vouchers` takes (the relative path alone is accepted ' +
    'too). The picture is checked by its content: JPEG, GIF, PNG or BMP, at most 1 MB; at most 10 go with one ' +
    'refund or message. Pictures are named by their content, so the same picture uploaded twice answers the same ' +
    'path. `url` is a signed link that shows the picture to you until `expiresAt`; only you are given links to it.',
  tags: ['1688 after-sales'],
  auth: 'signed',
  mutation: true,
  // No transaction: nothing is written to the database, and decoding a picture should not hold one open.
  ownTransactions: true,
  bodyLimit: (config) => Math.max(config.bodyLimit, MAX_BASE64_CHARS + 65_536),
  body: Strict({
    imageBase64: Picture('The picture in base64 (a `data:image/...;base64,` prefix is allowed)'),
    imageData: Picture('The same as `imageBase64`, under the other name clients use; give one of the two'),
    language: LanguageField,
    country: LanguageField,
  }),
  data: Type.Object({
    imageDomain: Type.String({
      description: 'Where the pictures are served: put `imageRelativeUrl` after it',
      examples: ['https://ponte.example.com/files/'],
    }),
    imageRelativeUrl: Type.String({
      description: 'The picture’s path, named by its content',
      examples: ['evidence/912178041482870784/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg'],
    }),
    url: Type.String({
      description: 'A signed link to the picture, valid until `expiresAt`',
      examples: [
        'https://ponte.example.com/files/evidence/912178041482870784/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg?expires=1715673577&signature=Xz3h7nNq0Yt2dQd3pQm4a6y8k5m0qI2V8b1sY7c9e0A',
      ],
    }),
    expiresAt: EpochMs('When `url` stops working'),
    contentType: Type.Union(
      [Type.Literal('image/jpeg'), Type.Literal('image/gif'), Type.Literal('image/png'), Type.Literal('image/bmp')],
      { description: 'The picture’s media type, as found in its content' },
    ),
    size: Int('The picture’s size in bytes', 1, EVIDENCE_PICTURE_MAX_BYTES, 48213),
  }),
  handler: async ({ deps, auth, body }) => {
    const given = [body.imageBase64, body.imageData].filter((v) => v !== undefined);
    if (given.length !== 1) throw invalidParameter('imageBase64', 'imageBase64OrData');
    const field = body.imageBase64 !== undefined ? 'imageBase64' : 'imageData';
    const picture = await readEvidencePicture(given[0] as string, field);
    const stored = await storeEvidencePicture(deps, auth.developId, picture);
    return {
      imageDomain: `${deps.publicUrl.get()}${FILES_PATH}`,
      imageRelativeUrl: stored.relativeUrl,
      url: stored.url,
      expiresAt: stored.expiresAt,
      contentType: picture.contentType,
      size: picture.bytes.length,
    };
  },
});
