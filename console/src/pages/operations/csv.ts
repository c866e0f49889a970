/**
 * Reads CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends) into rows of fields, leaving out
 * empty lines; enough to show a rate card as a table.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      endRow();
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
    }
    i++;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** Where an import's error is, from the API's message (`csv row 3, first_weight_g: …`): the row and the column. */
export function csvErrorAt(message: string): { row: number; column: string } | null {
  const m = /csv row (\d+), ([a-z_]+)/.exec(message);
  return m?.[1] && m[2] ? { row: Number(m[1]), column: m[2] } : null;
}
