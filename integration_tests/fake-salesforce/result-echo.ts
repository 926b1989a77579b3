/**
 * How result CSVs echo the uploaded rows (reference §1.8): the `resultEcho` knob.
 *
 * - 'as-uploaded': values as uploaded (except double/currency/percent in successfulResults when
 *   normaliseResultValues is on), columns in upload order, rows in `resultOrder`.
 * - 'normalised': every value Salesforce may rewrite is rewritten per field type (see README "Result echo"),
 *   failedResults' data columns sorted alphabetically, rows always shuffled (seeded by the job id).
 */
import type { Column } from './columns';
import { javaDouble } from './csv';
import { convertCell } from './field-values';
import { to18 } from './ids';
import type { FieldDef } from './org-schema';

/** `2024-01-02T03:04:05.000+0000`, the form Salesforce's REST API writes date-times in [REAL §1.2; for results GUESS]. */
function sfDateTime(iso: string): string {
  return iso.replace(/Z$/, '+0000');
}

function definedCase(fd: FieldDef, value: string): string {
  const hit = fd.picklistValues.find((p) => p.toLowerCase() === value.toLowerCase());
  return hit ?? value;
}

/**
 * One value as a result CSV echoes it under 'normalised'. Values the field refuses (the row's error) and
 * columns that are not plain fields (relationship columns) are echoed as uploaded.
 */
export function normaliseValue(column: Column | undefined, raw: string): string {
  if (raw === '#N/A') return '';
  if (raw === '' || !column || column.kind !== 'field') return raw;
  const fd = column.field;
  switch (fd.type) {
    case 'id':
    case 'reference':
      return to18(raw) ?? raw;
    case 'picklist':
      return definedCase(fd, raw);
    case 'multipicklist':
      return raw.split(';').map((p) => definedCase(fd, p)).join(';');
    case 'double': case 'currency': case 'percent': {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) ? javaDouble(n) : raw;
    }
    case 'int': case 'boolean': case 'date': case 'datetime': {
      const c = convertCell(fd, raw);
      if (!c.ok || c.value === null) return raw;
      return fd.type === 'datetime' ? sfDateTime(String(c.value)) : String(c.value);
    }
    default:
      return raw;
  }
}

/** Data-column positions in the order a result CSV writes them: alphabetical (case-insensitive) or as uploaded. */
export function columnOrder(header: string[], sorted: boolean): number[] {
  const idx = header.map((_, i) => i);
  if (!sorted) return idx;
  return idx.sort((a, b) => {
    const x = (header[a] as string).toLowerCase();
    const y = (header[b] as string).toLowerCase();
    return x < y ? -1 : x > y ? 1 : a - b;
  });
}

/** Deterministic shuffle seeded by the job id: reproducible runs, but not the upload order. */
export function seededShuffle(seedText: string, indexes: number[]): number[] {
  const out = [...indexes];
  let seed = [...seedText].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 7);
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}
