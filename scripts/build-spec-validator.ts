/**
 * Build step (`npm run build` and the Dockerfile's build stage, after tsc): writes ajv's standalone
 * validator for spec.json's connectionSpecification to dist/src/config/spec-validator.js, so the CLI
 * loads plain JavaScript instead of loading ajv's compiler and compiling the schema at every start
 * (validate-config.ts; the module's type is spec-validator.d.ts next to it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { connectorSpec } from '../src/config/spec';

/** The generated module's source: a CommonJS module whose export is the validate function. */
export function specValidatorSource(): string {
  // allErrors: validate-config.ts reports every problem at once; strict: false accepts Airbyte's keywords
  // (airbyte_secret, order, group, …).
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true } });
  return standaloneCode(ajv, ajv.compile(connectorSpec.connectionSpecification));
}

export const SPEC_VALIDATOR_FILE = path.resolve(__dirname, '..', 'src', 'config', 'spec-validator.js');

if (require.main === module) {
  fs.writeFileSync(SPEC_VALIDATOR_FILE, specValidatorSource());
}
