import { encodeImage, type ImageFormat } from './images/encode.js';
import type { ImageSpec } from './images/render.js';

export interface PictureTask {
  spec: ImageSpec;
  format: ImageFormat;
}

/**
 * A task of the picture pool (`pictures.ts`), in a worker thread: rasterises and encodes one picture,
 * the same code and options as on the main thread, so the bytes are the same.
 */
export default function renderPicture(task: PictureTask): Promise<Buffer> {
  return encodeImage(task.spec, { format: task.format });
}
