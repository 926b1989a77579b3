/** Resolves uploaded column names (case-insensitive) to fields or `Rel.ExtField` / `Type:Rel.ExtField` lookups. */
import { type FieldDef, type ObjectDef, findField, findObject } from './org-schema';

export type Column =
  | { header: string; kind: 'field'; field: FieldDef }
  | { header: string; kind: 'relation'; field: FieldDef; target: ObjectDef; targetField: FieldDef };

export type ColumnResolution = { ok: true; column: Column } | { ok: false; message: string };

export function resolveColumn(obj: ObjectDef, header: string): ColumnResolution {
  const notFound: ColumnResolution = { ok: false, message: `InvalidBatch : Field name not found : ${header}` };
  const dot = header.indexOf('.');
  if (dot < 0) {
    const field = findField(obj, header);
    return field ? { ok: true, column: { header, kind: 'field', field } } : notFound;
  }
  let relPart = header.slice(0, dot);
  const targetFieldName = header.slice(dot + 1);
  let typeName: string | undefined;
  const colon = relPart.indexOf(':');
  if (colon >= 0) {
    typeName = relPart.slice(0, colon);
    relPart = relPart.slice(colon + 1);
  }
  const lower = relPart.toLowerCase();
  const field = obj.fields.find((fd) => fd.type === 'reference' && fd.relationshipName?.toLowerCase() === lower);
  if (!field) return notFound;
  if (typeName !== undefined && field.referenceTo.length < 2) {
    // [REAL] wording from reference §1.10
    return { ok: false, message: `InvalidBatch : Field name provided, ${header} type is not needed for non polymorphic foreign key references` };
  }
  const targetName = typeName ?? field.referenceTo[0];
  const target = targetName === undefined ? undefined : findObject(targetName);
  if (!target || !field.referenceTo.includes(target.name)) return notFound;
  const targetField = findField(target, targetFieldName);
  if (!targetField || !(targetField.externalId || targetField.idLookup)) return notFound;
  return { ok: true, column: { header, kind: 'relation', field, target, targetField } };
}
