/** Golden-set datasets: the JSONL format, its content hash, and importers from BEIR and SQuAD-style data. */
export { readGoldenSet, parseGoldenJsonl, writeGoldenSet, type ReadGoldenOptions } from './golden-jsonl.ts';
export { parseGoldenCase, type GoldenCaseParse } from './golden-case-schema.ts';
export { contentHashOf } from './golden-content-hash.ts';
export { canonicalJson } from './canonical-json.ts';
export type { ImportProblem } from './import-problem.ts';
export { readJsonlLines, type JsonlLine } from './jsonl-lines.ts';
export { importBeir, type BeirImport, type BeirImportInput } from './beir-import.ts';
export { importSquadStyle, nearestOccurrence, type SquadStyleImport, type SquadStyleImportInput } from './squad-style-import.ts';
export { importSquadJson, type SquadJsonImport } from './squad-json-import.ts';
export { goldPassageAround, type GoldPassageOptions } from './gold-passage.ts';
