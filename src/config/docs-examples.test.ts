import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { validateConfig } from './load-config.ts';

/** The YAML blocks of a doc page. */
function yamlBlocks(page: string): string[] {
  const text = fs.readFileSync(fileURLToPath(new URL(`../../docs/${page}`, import.meta.url)), 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('configuration examples in the docs', () => {
  it('the gateway page example is a valid configuration', () => {
    const blocks = yamlBlocks('gateway.md');
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const config = validateConfig(YAML.parse(block), 'docs/gateway.md', { OPENAI_API_KEY: 'sk-doc' });
      expect(config.answer.provider).toBe('gateway');
      expect(Object.keys(config.gateway.aliases)).toContain('smart');
    }
  });

  it('the tracing page examples are valid configurations: one samples traces, one exports to a collector', () => {
    const configs = yamlBlocks('tracing.md').map((block) => validateConfig(YAML.parse(block), 'docs/tracing.md', {}));
    expect(configs.map((config) => config.tracing.sampleRate)).toContain(0.1);
    const exporting = configs.filter((config) => config.tracing.otlp.endpoint !== undefined);
    expect(exporting.length).toBeGreaterThan(0);
    for (const config of exporting) expect(config.tracing.otlp.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:4318\/v1\/traces$/);
  });
});
