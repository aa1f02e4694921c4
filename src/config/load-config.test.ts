import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { PlumbError } from '../core/errors.ts';
import { DEFAULT_CONFIG_YAML } from './default-config-file.ts';
import { envOverrides, loadConfig } from './load-config.ts';
import { configSchema } from './schema.ts';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'plumb-config-'));
}

describe('loadConfig', () => {
  it('uses defaults when there is no file and no env', () => {
    const cwd = tempDir();
    const { config, configPath } = loadConfig({ cwd, env: {} });
    expect(configPath).toBeNull();
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8787 });
    expect(config.dataDir).toBe(path.join(cwd, '.plumb'));
    expect(config.answer.provider).toBe('extractive');
  });

  it('reads YAML, then env overrides win, then explicit overrides win', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'plumb.config.yaml'), 'server:\n  port: 9100\nretrieval:\n  k: 5\n');
    const env = { PLUMB_RETRIEVAL__K: '12', PLUMB_DATA_DIR: '/tmp/x-data' };
    const { config } = loadConfig({ cwd, env, overrides: { server: { port: 9200 } } });
    expect(config.server.port).toBe(9200);
    expect(config.retrieval.k).toBe(12);
    expect(config.dataDir).toBe('/tmp/x-data');
  });

  it('takes the store\'s group-commit window from the file or PLUMB_STORE__GROUP_COMMIT_MS, within 0–1000 ms', () => {
    const cwd = tempDir();
    expect(loadConfig({ cwd, env: {} }).config.store.groupCommitMs).toBe(25);
    expect(loadConfig({ cwd, env: { PLUMB_STORE__GROUP_COMMIT_MS: '0' } }).config.store.groupCommitMs).toBe(0);
    fs.writeFileSync(path.join(cwd, 'plumb.config.json'), JSON.stringify({ store: { groupCommitMs: 5000 } }));
    expect(() => loadConfig({ cwd, env: {} })).toThrow(/store\.groupCommitMs/);
  });

  it('maps PORT and nested snake case env names', () => {
    expect(envOverrides({ PORT: '7000', PLUMB_ANSWER__BASE_URL: 'http://x/v1' })).toEqual({
      server: { port: 7000 },
      answer: { baseUrl: 'http://x/v1' },
    });
  });

  it('leaves PLUMB_* variables that name no config section alone (e.g. provider keys)', () => {
    expect(envOverrides({ PLUMB_OPENAI_KEY: 'sk-x', PLUMB_SERVER__HOST: '0.0.0.0' })).toEqual({ server: { host: '0.0.0.0' } });
  });

  it('names the bad key in the error', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'plumb.config.json'), JSON.stringify({ server: { port: 'eighty' }, retrival: {} }));
    let caught: unknown;
    try {
      loadConfig({ cwd, env: {} });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PlumbError);
    const err = caught as PlumbError;
    expect(err.code).toBe('invalid_config');
    expect(err.message).toContain('server.port');
    expect(err.message).toContain('retrival');
    expect(err.message).toContain('plumb.config.json');
  });

  it('reports invalid YAML with the file name', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'plumb.config.yaml'), 'server: [unclosed');
    expect(() => loadConfig({ cwd, env: {} })).toThrow(/plumb\.config\.yaml is not valid YAML/);
  });

  it('requires a model for LLM answer providers and takes the key from OPENAI_API_KEY', () => {
    const cwd = tempDir();
    expect(() => loadConfig({ cwd, env: { PLUMB_ANSWER__PROVIDER: 'openai-compatible' } })).toThrow(/answer\.model/);
    const { config } = loadConfig({
      cwd,
      env: { PLUMB_ANSWER__PROVIDER: 'openai-compatible', PLUMB_ANSWER__MODEL: 'gpt-4o-mini', OPENAI_API_KEY: 'sk-test' },
    });
    expect(config.answer.apiKey).toBe('sk-test');
  });

  it('the file `plumb init` writes is valid and equals the defaults', () => {
    const parsed = configSchema.parse(YAML.parse(DEFAULT_CONFIG_YAML));
    expect(parsed).toEqual(configSchema.parse({}));
  });
});
