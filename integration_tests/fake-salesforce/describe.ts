/** Describe JSON (reference §6) built from the declarative org schema. */
import { type FieldDef, type ObjectDef, ORG_SCHEMA } from './org-schema';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID', reference: 'tns:ID', boolean: 'xsd:boolean', int: 'xsd:int', double: 'xsd:double', currency: 'xsd:double',
  percent: 'xsd:double', date: 'xsd:date', datetime: 'xsd:dateTime', address: 'urn:address',
};

function objectFlags(o: ObjectDef, version: string): Record<string, unknown> {
  const base = `/services/data/v${version}/sobjects/${o.name}`;
  const isEvent = o.kind === 'event';
  return {
    activateable: false,
    createable: o.createable,
    custom: o.kind !== 'standard',
    customSetting: false,
    deepCloneable: false,
    deletable: o.deletable,
    deprecatedAndHidden: false,
    feedEnabled: !isEvent && o.kind === 'standard',
    hasSubtypes: false,
    idEnabled: true,
    isInterface: false,
    isSubtype: false,
    keyPrefix: o.keyPrefix,
    label: o.label,
    labelPlural: o.labelPlural,
    layoutable: !isEvent,
    mergeable: o.name === 'Account' || o.name === 'Contact' || o.name === 'Lead',
    mruEnabled: !isEvent,
    name: o.name,
    queryable: o.queryable,
    replicateable: !isEvent,
    retrieveable: !isEvent,
    searchable: !isEvent,
    triggerable: true,
    undeletable: o.deletable,
    updateable: o.updateable,
    urls: isEvent
      ? { eventSchema: `${base}/eventSchema`, rowTemplate: `${base}/{ID}`, describe: `${base}/describe`, sobject: base }
      : { rowTemplate: `${base}/{ID}`, defaultValues: `${base}/defaultValues?recordTypeId&fields`, describe: `${base}/describe`, sobject: base },
  };
}

export function sobjectSummary(o: ObjectDef, version: string): Record<string, unknown> {
  return objectFlags(o, version);
}

export function describeField(fd: FieldDef): Record<string, unknown> {
  const numeric = ['double', 'currency', 'percent'].includes(fd.type);
  const textual = fd.length > 0 && fd.type !== 'id' && fd.type !== 'reference';
  return {
    aggregatable: fd.type !== 'textarea' && fd.type !== 'address',
    aiPredictionField: false,
    autoNumber: fd.autoNumber,
    byteLength: fd.type === 'id' || fd.type === 'reference' ? 18 : textual ? fd.length * 3 : 0,
    calculated: false,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: fd.caseSensitive,
    compoundFieldName: fd.compoundFieldName,
    controllerName: null,
    createable: fd.createable,
    custom: fd.custom,
    defaultValue: typeof fd.defaultValue === 'string' || typeof fd.defaultValue === 'boolean' ? fd.defaultValue : null,
    defaultValueFormula: null,
    defaultedOnCreate: fd.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: fd.type === 'int' ? (fd.digits ?? 9) : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: fd.externalId,
    extraTypeInfo: fd.type === 'textarea' ? (fd.length > 255 ? 'plaintextarea' : null) : null,
    filterable: fd.type !== 'textarea',
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: !numeric && fd.type !== 'textarea' && fd.type !== 'datetime' && fd.type !== 'address',
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: fd.idLookup,
    inlineHelpText: null,
    label: fd.label,
    length: fd.type === 'id' || fd.type === 'reference' ? 18 : textual ? fd.length : 0,
    mask: null,
    maskType: null,
    name: fd.name,
    nameField: fd.nameField,
    namePointing: false,
    nillable: fd.nillable,
    permissionable: fd.custom && fd.nillable,
    picklistValues: fd.picklistValues.map((v) => ({
      active: true,
      defaultValue: fd.defaultValue === v,
      label: v,
      validFor: null,
      value: v,
    })),
    polymorphicForeignKey: fd.referenceTo.length > 1,
    precision: numeric ? (fd.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: fd.referenceTo,
    relationshipName: fd.relationshipName,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: fd.restrictedPicklist,
    scale: numeric ? (fd.scale ?? 0) : 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[fd.type] ?? 'xsd:string',
    sortable: fd.type !== 'textarea' && fd.type !== 'address',
    type: fd.type,
    unique: fd.unique,
    updateable: fd.updateable,
    writeRequiresMasterRead: false,
  };
}

function childRelationships(o: ObjectDef): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const child of ORG_SCHEMA) {
    for (const fd of child.fields) {
      if (!fd.referenceTo.includes(o.name) || fd.createable === false) continue;
      out.push({
        cascadeDelete: false,
        childSObject: child.name,
        deprecatedAndHidden: false,
        field: fd.name,
        junctionIdListNames: [],
        junctionReferenceTo: [],
        relationshipName: child.kind === 'custom' ? `${child.labelPlural}__r` : child.labelPlural,
        restrictedDelete: false,
      });
    }
  }
  return out;
}

export function describeObject(o: ObjectDef, version: string): Record<string, unknown> {
  const flags = objectFlags(o, version);
  const { urls, ...rest } = flags;
  return {
    actionOverrides: [],
    ...rest,
    childRelationships: childRelationships(o),
    compactLayoutable: o.kind !== 'event',
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: o.fields.map(describeField),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: o.kind === 'event' ? [] : [{
      active: true, available: true, defaultRecordTypeMapping: true, developerName: 'Master', master: true,
      name: 'Master', recordTypeId: '012000000000000AAA',
      urls: { layout: `/services/data/v${version}/sobjects/${o.name}/describe/layouts/012000000000000AAA` },
    }],
    searchLayoutable: o.kind !== 'event',
    sobjectDescribeOption: 'FULL',
    supportedScopes: o.kind === 'event' ? [] : [{ label: 'All ' + o.labelPlural.toLowerCase(), name: 'everything' }],
    urls,
  };
}
