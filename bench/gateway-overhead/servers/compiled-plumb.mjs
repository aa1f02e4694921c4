// plumb as `plumb serve` runs it, for the benchmarks' server processes: the compiled build in
// dist/ (of this checkout, or of PLUMB_ROOT's: ab-against.sh and ab-interleaved.ts measure older
// commits so), createPlumb() on a temporary data directory and the product's HTTP server on
// 127.0.0.1 (open local mode). When the parent disconnects, the server and plumb close (their
// queued ledger rows and traces written) and the directory is removed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIsCurrent } from '../../../bin/build-state.js';

/** Starts plumb with `config` (its dataDir is set here); resolves with the plumb and its server. */
export async function serveCompiledPlumb(config) {
  const root = process.env.PLUMB_ROOT ?? fileURLToPath(new URL('../../..', import.meta.url));
  if (!buildIsCurrent(root)) throw new Error(`${root}dist/ is missing or older than src/: run \`npm run build\` first`);
  const { createPlumb } = await import(pathToFileURL(join(root, 'dist', 'app.js')).href);
  const { startServer } = await import(pathToFileURL(join(root, 'dist', 'server', 'start-server.js')).href);
  const dir = mkdtempSync(join(tmpdir(), 'plumb-bench-'));
  const plumb = await createPlumb({ config: { dataDir: dir, ...config }, env: {} });
  const server = await startServer(plumb, { host: '127.0.0.1', port: 0 });
  process.on('disconnect', () => {
    void server
      .close()
      .then(() => plumb.close())
      .finally(() => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      });
  });
  return { plumb, server };
}
