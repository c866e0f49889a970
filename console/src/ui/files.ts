/** A picture the user picked, read for upload: its bytes as base64 (no `data:` prefix) and a preview URL. */
export interface PickedPicture {
  name: string;
  type: string;
  size: number;
  base64: string;
  /** A `data:` URL of the picture, for previews and for APIs that take one. */
  dataUrl: string;
}

/** Reads a file as a `data:` URL and its base64 part. */
export function readPicture(file: File): Promise<PickedPicture> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.onload = () => {
      const dataUrl = String(reader.result);
      resolve({
        name: file.name,
        type: file.type,
        size: file.size,
        dataUrl,
        base64: dataUrl.slice(dataUrl.indexOf(',') + 1),
      });
    };
    reader.readAsDataURL(file);
  });
}

/** A size in bytes as people read it: 1.5 MB. */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
