/**
 * The type of spec-validator.js: ajv's standalone validator for spec.json's connectionSpecification,
 * generated at build time by scripts/build-spec-validator.ts (no source file of its own).
 */
import type { ValidateFunction } from 'ajv';

declare const validateSpec: ValidateFunction;
export = validateSpec;
