/**
 * Loads the configuration: defaults ← config file ← `PLUMB_*` environment ← explicit overrides.
 * Env keys map to paths with `__` between levels and snake case to camel case:
 * `PLUMB_SERVER__PORT=9000` sets server.port, `PLUMB_DATA_DIR` sets dataDir.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { ZodError } from 'zod';
import { PlumbError } from '../core/errors.ts';
import { unusedPriceKeys } from '../gateway/config/gateway-price.ts';
import { otlpSettingsFromEnv, sampleRateFromEnv } from './otlp-env.ts';
import { configSchema, type PlumbConfig } from './schema.ts';

const TOP_LEVEL_KEYS = new Set(Object.keys(configSchema.shape));

export const CONFIG_FILE_NAMES = ['plumb.config.yaml', 'plumb.config.yml', 'plumb.config.json'] as const;

export interface LoadConfigOptions {
  /** Explicit config file; otherwise the first of CONFIG_FILE_NAMES found in `cwd`. */
  configPath?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Highest-priority values (e.g. CLI flags), deep-merged last. */
  overrides?: Record<string, unknown>;
}

export interface LoadedConfig {
  config: PlumbConfig;
  /** The file that was read, if any. */
  configPath: string | null;
}

/** Loads and validates the configuration; throws PlumbError('invalid_config') naming the bad key. */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const configPath = options.configPath ? path.resolve(cwd, options.configPath) : findConfigFile(cwd);
  const fromFile = configPath ? readConfigFile(configPath) : {};
  const merged = deepMerge(deepMerge(fromFile, envOverrides(env)), options.overrides ?? {});
  return { config: validateConfig(merged, configPath ?? 'configuration', env, cwd), configPath };
}

/** Validates a raw object as configuration (used by `createPlumb({ config })` too). */
export function validateConfig(raw: unknown, origin: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PlumbConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw configError(parsed.error, origin);
  const config = parsed.data;
  config.dataDir = path.resolve(cwd, config.dataDir);
  // Provider keys from the providers' own conventional variables, never from the file alone.
  if (config.answer.provider === 'openai-compatible') config.answer.apiKey ??= env.OPENAI_API_KEY;
  if (config.answer.provider === 'anthropic') config.answer.apiKey ??= env.ANTHROPIC_API_KEY;
  if (config.embeddings.provider === 'openai-compatible') config.embeddings.apiKey ??= env.OPENAI_API_KEY;
  config.tracing.otlp = otlpSettingsFromEnv(config.tracing.otlp, env);
  config.tracing.sampleRate ??= sampleRateFromEnv(env) ?? 1;
  const unused = unusedPriceKeys(config.gateway, [config.answer.model, config.embeddings.model]);
  if (unused.length > 0) {
    const known = Object.entries(config.gateway.providers).flatMap(([name, p]) => p.models.map((m) => `${name}/${m}`));
    throw new PlumbError('invalid_config', `${origin}: gateway.prices names ${unused.map((k) => `"${k}"`).join(', ')}, which no configured provider lists, so ${unused.length === 1 ? 'it' : 'they'} would price nothing`, {
      hint: `key prices by model id ("gpt-4o-mini") or by provider/model ("openai/gpt-4o-mini"); configured: ${known.join(', ') || 'no gateway providers'}`,
    });
  }
  if (config.answer.provider !== 'extractive' && !config.answer.model) {
    throw new PlumbError('invalid_config', `${origin}: answer.model is required when answer.provider is "${config.answer.provider}"`, {
      hint: 'set answer.model, e.g. "gpt-4o-mini" or "llama3.1" for Ollama',
    });
  }
  if (config.embeddings.provider === 'openai-compatible' && !(config.embeddings.model && config.embeddings.dimensions)) {
    throw new PlumbError('invalid_config', `${origin}: embeddings.model and embeddings.dimensions are required for "openai-compatible"`, {
      hint: 'e.g. model "text-embedding-3-small", dimensions 1536',
    });
  }
  return config;
}

function findConfigFile(cwd: string): string | null {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(cwd, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new PlumbError('invalid_config', `cannot read config file ${file}: ${(error as Error).message}`, {
      hint: 'check the path, or run `plumb init` to write a default one',
    });
  }
  let value: unknown;
  try {
    value = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (error) {
    throw new PlumbError('invalid_config', `${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new PlumbError('invalid_config', `${file} must hold an object of settings`);
  }
  return value as Record<string, unknown>;
}

/** `PLUMB_A__B_C=v` → { a: { bC: v } }; values that parse as JSON (numbers, booleans, arrays) are parsed. */
export function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('PLUMB_') || raw === undefined) continue;
    if (name === 'PLUMB_CACHE_DIR') continue; // read directly by the word-vector cache
    const keys = name.slice('PLUMB_'.length).split('__').map(snakeToCamel);
    // Only variables naming a config section are overrides; others (e.g. a provider key a
    // gateway.providers.*.apiKeyEnv points at, such as PLUMB_OPENAI_KEY) are left alone.
    if (!TOP_LEVEL_KEYS.has(keys[0]!)) continue;
    setPath(out, keys, parseEnvValue(raw));
  }
  if (env.PORT !== undefined && !('server' in out && (out.server as Record<string, unknown>).port !== undefined)) {
    setPath(out, ['server', 'port'], parseEnvValue(env.PORT));
  }
  return out;
}

function snakeToCamel(s: string): string {
  return s.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function parseEnvValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) node[key] = value;
    else {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
  });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge where `b` wins; arrays are replaced, not concatenated. */
export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
  }
  return out;
}

function configError(error: ZodError, origin: string): PlumbError {
  const lines = error.issues.map((issue) => {
    const key = issue.path.join('.') || '(top level)';
    return `  ${key}: ${issue.message}`;
  });
  return new PlumbError('invalid_config', `invalid configuration in ${origin}:\n${lines.join('\n')}`, {
    hint: 'fix the keys above (env overrides use PLUMB_SECTION__KEY, e.g. PLUMB_SERVER__PORT=9000); `plumb init` writes a commented default',
    details: { issues: error.issues.map((i) => ({ key: i.path.join('.'), message: i.message })) },
  });
}
