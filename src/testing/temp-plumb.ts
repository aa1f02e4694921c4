/** Test helper: a real Plumb on a temporary SQLite file, with a few known documents. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPlumb } from '../app.ts';
import type { PlumbConfigInput } from '../config/schema.ts';
import type { Plumb } from '../plumb.ts';

export function tempDir(prefix = 'plumb-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A Plumb on a fresh temp store; the environment is ignored so tests do not depend on it. */
export async function tempPlumb(config: PlumbConfigInput = {}, env: NodeJS.ProcessEnv = {}): Promise<{ plumb: Plumb; dataDir: string }> {
  const dataDir = tempDir();
  const plumb = await createPlumb({ config: { dataDir, ...config }, env });
  return { plumb, dataDir };
}

/** Small documents with facts the tests ask about. */
export const SAMPLE_DOCS = [
  {
    id: 'ports',
    title: 'Changing the port',
    text: '# Changing the port\n\nThe server listens on port 8787 by default. Set the PORT environment variable or pass --port to change it.\n\nThe server binds 127.0.0.1 unless told otherwise.',
  },
  {
    id: 'keys',
    title: 'API keys',
    text: '# API keys\n\nAPI keys are hashed with SHA-256 before they are stored. The secret is shown once, when the key is created.',
  },
  {
    id: 'chunking',
    title: 'Chunking',
    text: '# Chunking\n\nDocuments are split by headings, then paragraphs, then sentences. Chunk sizes are measured in BPE tokens.',
  },
];
