/**
 * Reads a config file, validates it against spec.json and normalises it to a DestinationConfig.
 * Every failure is a config_error whose message names the field; values are never echoed.
 */
import * as fs from 'node:fs';
import { configError } from '../errors';
import type { Emitter } from '../protocol/emitter';
import { collectSecrets } from './config-secrets';
import type { DestinationConfig } from './destination-config';
import { normalizeConfig } from './normalize-config';
import { prepareRawConfig, validateRawConfig } from './validate-config';

/** Reads and parses the JSON config file (no validation). */
export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'read error';
    throw configError(`Could not read the config file ${file} (${code}).`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw configError(`The config file ${file} is not valid JSON.`);
  }
}

/** Validates and normalises a parsed config (null optional keys are dropped first). */
export function parseConfig(raw: unknown): DestinationConfig {
  const config = prepareRawConfig(raw);
  validateRawConfig(config);
  return normalizeConfig(config);
}

/**
 * Reads, validates and normalises the config file. The one place the config's secret values are
 * registered with the emitter for redaction: before validation runs, so they are hidden even when the
 * config is invalid (config.secrets, found in the same file, holds no value that is not registered here).
 */
export function loadConfig(file: string, emitter: Emitter): DestinationConfig {
  const raw = readConfigFile(file);
  emitter.addSecrets(collectSecrets(raw));
  return parseConfig(raw);
}
