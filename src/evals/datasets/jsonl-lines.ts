/**
 * Streams a JSONL file line by line, so a corpus of gigabytes (BEIR's MS MARCO is ~3 GB) is read
 * without holding it in one string. Each non-empty line comes back parsed, or with its parse error.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { PlumbError } from '../../core/errors.ts';

export type JsonlLine = { line: number; value: unknown; error?: undefined } | { line: number; value?: undefined; error: string };

/** Yields every non-empty line of a JSONL file with its 1-based line number. */
export async function* readJsonlLines(filePath: string): AsyncGenerator<JsonlLine> {
  if (!fs.existsSync(filePath)) {
    throw new PlumbError('not_found', `Could not read ${filePath}: no such file.`, { hint: 'Check the path to the dataset file.' });
  }
  const lines = readline.createInterface({ input: fs.createReadStream(filePath, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line++;
    const content = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (content.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(content) as unknown };
    } catch (cause) {
      yield { line, error: `not valid JSON (${cause instanceof Error ? cause.message : String(cause)})` };
    }
  }
}
