/** Readers for the shared benchmark datasets used here (read-only, never copied into the repo). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATASETS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/datasets');

export interface StsPair {
  score: number;
  a: string;
  b: string;
}

/** One JSON value per non-empty line. */
export function readJsonl<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** STS Benchmark pairs of one split ('train' or 'dev'). */
export function readStsb(split: 'train' | 'dev'): StsPair[] {
  return readJsonl<StsPair>(path.join(DATASETS_DIR, 'stsb', `${split}.jsonl`));
}
