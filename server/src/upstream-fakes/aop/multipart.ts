/**
 * Just enough of `multipart/form-data` for the fake gateway: the APIs that take bytes (a refund voucher
 * picture) send them as a file part next to text fields. Text parts are fields; parts with a filename
 * are files, kept as bytes.
 */
export interface MultipartForm {
  fields: Record<string, string>;
  files: Record<string, Buffer>;
}

export function parseMultipart(body: Buffer, contentType: string): MultipartForm {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const mark = boundary?.[1] ?? boundary?.[2];
  if (!mark) throw new Error('multipart body without a boundary');
  const first = Buffer.from(`--${mark}`);
  const between = Buffer.from(`\r\n--${mark}`);
  const form: MultipartForm = { fields: {}, files: {} };
  let at = body.indexOf(first);
  if (at < 0) throw new Error('multipart body without its boundary');
  at += first.length;
  // After each boundary: `--` ends the body, a line break starts a part.
  while (body.subarray(at, at + 2).toString('latin1') === '\r\n') {
    const start = at + 2;
    const end = body.indexOf(between, start);
    if (end < 0) throw new Error('multipart part without a closing boundary');
    const part = body.subarray(start, end);
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd < 0) throw new Error('multipart part without headers');
    const head = part.subarray(0, headEnd).toString('utf8');
    const content = part.subarray(headEnd + 4);
    const name = /\bname="([^"]*)"/i.exec(head)?.[1];
    if (name !== undefined) {
      if (/\bfilename="/i.test(head)) form.files[name] = Buffer.from(content);
      else form.fields[name] = content.toString('utf8');
    }
    at = end + between.length;
  }
  return form;
}
