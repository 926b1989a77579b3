/**
 * Splits Salesforce's `sf__Error` text (salesforce-api.md §4.4) into code, message and fields.
 *
 * Format: `CODE:message:fields --` where fields are comma-joined API names (none → `:--`).
 * Messages may contain colons themselves (`duplicate value found: X ... id: 006...`), so the code
 * is the part before the FIRST colon and the fields are the part after the LAST colon before the
 * trailing `--`.
 */
export interface SfError {
  code: string;
  message: string;
  fields: string[];
}

/** Code used when the text does not start with a Salesforce-style error code. */
export const UNKNOWN_SF_ERROR = 'UNKNOWN_ERROR';

const CODE = /^[A-Z][A-Z0-9_]*$/;
/** API names (Name, Invoice_External_Id__c, ns__Field__c, Account.Name). */
const FIELD = /^[A-Za-z][A-Za-z0-9_.]*$/;
const TRAILER = /\s*--\s*$/;

export function parseSfError(text: string | null | undefined): SfError {
  const raw = (text ?? '').trim();
  if (raw === '') return { code: UNKNOWN_SF_ERROR, message: '', fields: [] };

  const hasTrailer = TRAILER.test(raw);
  const body = hasTrailer ? raw.replace(TRAILER, '') : raw;

  const firstColon = body.indexOf(':');
  const head = firstColon < 0 ? body : body.slice(0, firstColon);
  if (!CODE.test(head.trim())) return { code: UNKNOWN_SF_ERROR, message: raw, fields: [] };
  const code = head.trim();
  if (firstColon < 0) return { code, message: '', fields: [] };

  const rest = body.slice(firstColon + 1);
  if (!hasTrailer) return { code, message: rest.trim(), fields: [] };

  const lastColon = rest.lastIndexOf(':');
  if (lastColon < 0) {
    // `CODE:something --`: no fields separator; treat `something` as fields only if it looks like names.
    const fields = splitFields(rest);
    return fields ? { code, message: '', fields } : { code, message: rest.trim(), fields: [] };
  }
  const fields = splitFields(rest.slice(lastColon + 1));
  if (!fields) return { code, message: rest.trim(), fields: [] };
  return { code, message: rest.slice(0, lastColon).trim(), fields };
}

/** Comma-joined API names → list; undefined when the text is not a list of API names. */
function splitFields(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const parts = trimmed.split(',').map((p) => p.trim()).filter((p) => p !== '');
  return parts.every((p) => FIELD.test(p)) ? parts : undefined;
}
