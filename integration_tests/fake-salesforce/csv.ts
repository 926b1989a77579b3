/** Uploaded CSV parsing (papaparse) and result CSV writing in Salesforce's shape (reference §1.8, §3). */
import Papa from 'papaparse';

export const DELIMITERS: Record<string, string> = {
  BACKQUOTE: '`', CARET: '^', COMMA: ',', PIPE: '|', SEMICOLON: ';', TAB: '\t',
};

/** Rows of the upload, header first; a trailing empty line is not a row. */
export function parseCsv(text: string, delimiter: string, newline: '\n' | '\r\n'): string[][] {
  if (text === '') return [];
  const parsed = Papa.parse<string[]>(text, { delimiter, newline, quoteChar: '"', skipEmptyLines: false });
  const rows = parsed.data;
  while (rows.length > 0 && isBlank(rows[rows.length - 1] as string[])) rows.pop();
  return rows.filter((r, i) => i === 0 || !isBlank(r));
}

function isBlank(row: string[]): boolean {
  return row.length === 0 || (row.length === 1 && row[0] === '');
}

export function quote(value: string): string {
  return value.includes('"') ? `"${value.replace(/"/g, '""')}"` : `"${value}"`;
}

/**
 * `"sf__Id","sf__Error",Name,…`: sf__ columns quoted, data columns as uploaded (unquoted unless they need quotes),
 * every value quoted. Header-only (with its line ending) when there are no rows [REAL].
 */
export function writeResultCsv(sfColumns: string[], dataHeader: string[], rows: string[][], delimiter: string): string {
  const headerCells = [
    ...sfColumns.map(quote),
    ...dataHeader.map((h) => (/[",\n\r]/.test(h) || h.includes(delimiter) ? quote(h) : h)),
  ];
  const lines = new Array<string>(rows.length + 1);
  lines[0] = headerCells.join(delimiter);
  for (let i = 0; i < rows.length; i++) lines[i + 1] = (rows[i] as string[]).map(quote).join(delimiter);
  return lines.join('\n') + '\n';
}

/** Java Double.toString, which the doc example shows for number columns (912260031 → 9.12260031E8). */
export function javaDouble(n: number): string {
  if (n === 0) return '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes('.') || s.includes('e') ? s : `${s}.0`;
  }
  const [mantissa = '0', exponent = '0'] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : mantissa + '.0'}E${Number(exponent)}`;
}
