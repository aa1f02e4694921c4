/** Ingest building blocks: discover files, load them into documents, chunk documents, report progress. */
export { discoverFiles, type DiscoverOptions, type DiscoveredFile, type DiscoveryResult, type DiscoverySkip } from './discover-files.ts';
export { loadFile, type LoadFileOptions } from './load-file.ts';
export { loadText, type TextInput } from './load-text.ts';
export {
  DEFAULT_MAX_FILE_BYTES,
  type LoadOptions,
  type LoadResult,
  type RecordFieldOptions,
  type SkipReason,
} from './load-result.ts';
export { fileTypeOf, supportedExtensions, type FileKind, type FileType } from './loaders/file-types.ts';
export { chunkDocument } from './chunking/chunk-document.ts';
export { resolveChunkOptions, type ChunkOptions } from './chunking/chunk-options.ts';
export { ProgressBar, formatDuration, type ProgressBarOptions, type ProgressStream } from './progress-bar.ts';
export { emptyIngestReport, formatIngestReport, type IngestReport, type IngestSkipReason } from './ingest-report.ts';
