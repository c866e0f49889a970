import type { AppDeps } from '../../platform/deps.js';
import { FILES_PATH, putByContent } from '../../platform/files/file-store.js';
import { type EvidencePicture, readEvidencePicture } from '../../platform/files/pictures.js';
import { invalidParameter } from '../../platform/http/errors.js';

/** At most this many evidence pictures to one refund, one message or one 1688 `vouchers` list. */
export const EVIDENCE_MAX_PICTURES = 10;

type EvidenceDeps = Pick<AppDeps, 'files' | 'clock' | 'config' | 'publicUrl'>;

/** Where a developer's evidence pictures are kept: `evidence/{developId}/{sha256}.{ext}`. */
const prefixOf = (developId: string) => `evidence/${developId}`;

const EVIDENCE_KEY = /^evidence\/([0-9]{1,20})\/[0-9a-f]{64}\.(jpg|gif|png|bmp)$/;

export interface StoredEvidence {
  /** The key in the file store. */
  key: string;
  /** The path to give back in `vouchers`, `refundImages` and the like (the same text as the key). */
  relativeUrl: string;
  /** A signed link to the picture, for its owner. */
  url: string;
  /** When `url` stops working (epoch ms). */
  expiresAt: number;
}

/** When links made now expire: the configured lifetime, on a whole second as the links carry it. */
function expiryFromNow(deps: EvidenceDeps): number {
  return (Math.floor(deps.clock.now() / 1000) + deps.config.files.urlTtlSeconds) * 1000;
}

/**
 * Stores a checked picture (`readEvidencePicture`) as the developer's evidence, named by its content: the
 * same picture uploaded twice is one file under one path. Answers its path and a signed link to it.
 */
export async function storeEvidencePicture(
  deps: EvidenceDeps,
  developId: string,
  picture: EvidencePicture,
): Promise<StoredEvidence> {
  const key = await putByContent(deps.files, prefixOf(developId), picture.bytes, picture.contentType, picture.ext);
  const expiresAt = expiryFromNow(deps);
  return { key, relativeUrl: key, url: deps.files.signedUrl(key, expiresAt), expiresAt };
}

/**
 * The key a reference names, or null when it is not one of the forms an upload answered: the relative path,
 * the same after `/files/` or after the public URL and `/files/`, or a whole signed link (its query ignored:
 * an expired link still names the picture).
 */
function keyOf(deps: EvidenceDeps, ref: string): string | null {
  const path = ref.split(/[?#]/, 1)[0] as string;
  const absolute = `${deps.publicUrl.get()}${FILES_PATH}`;
  const relative = path.startsWith(absolute)
    ? path.slice(absolute.length)
    : path.startsWith(FILES_PATH)
      ? path.slice(FILES_PATH.length)
      : path;
  return EVIDENCE_KEY.test(relative) ? relative : null;
}

/**
 * The file-store keys of a list of evidence references (a refund's pictures, a message's pictures, 1688's
 * `vouchers`), in their order, each once. A reference is a picture the developer uploaded before
 * (`POST /alibaba/refund/voucher/upload`: its relative path, or its link) or a picture itself as a
 * `data:image/...;base64,` URL, checked and stored on the spot. More than `EVIDENCE_MAX_PICTURES` answers
 * 40001 naming `field`; a reference that is malformed, names another developer's picture or a picture no
 * longer stored answers 40001 naming `field[i]`. Another developer's picture and a missing one get the same
 * answer, so that a guess tells nothing of what others uploaded.
 */
export async function resolveEvidence(
  deps: EvidenceDeps,
  developId: string,
  refs: string[],
  field: string,
): Promise<string[]> {
  if (refs.length > EVIDENCE_MAX_PICTURES) {
    throw invalidParameter(field, 'atMostPictures', { max: EVIDENCE_MAX_PICTURES });
  }
  const keys = new Set<string>();
  for (const [i, raw] of refs.entries()) {
    const at = `${field}[${i}]`;
    const ref = raw.trim();
    if (/^data:/i.test(ref)) {
      const stored = await storeEvidencePicture(deps, developId, await readEvidencePicture(ref, at));
      keys.add(stored.key);
      continue;
    }
    const key = keyOf(deps, ref);
    if (key === null) throw invalidParameter(at, 'evidenceReference');
    if (key.split('/')[1] !== developId || (await deps.files.get(key)) === null) {
      throw invalidParameter(at, 'evidenceUnknown');
    }
    keys.add(key);
  }
  return [...keys];
}

/** Signed links to stored evidence pictures, each valid for the configured lifetime from now. */
export function evidenceUrls(deps: EvidenceDeps, keys: string[]): string[] {
  const expiresAt = expiryFromNow(deps);
  return keys.map((key) => deps.files.signedUrl(key, expiresAt));
}
