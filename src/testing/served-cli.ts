/** Test helper: follows a spawned `plumb serve` until its banner names the API's URL. */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

export interface ServedCli {
  url: string;
  /** Everything it printed on stdout up to the end of the banner. */
  stdout: string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** What it printed on stderr so far. */
  stderr: () => string;
}

/** Resolves once the banner is complete; rejects, with its stderr, if the process ends first. */
export async function awaitServeBanner(child: ChildProcessWithoutNullStreams): Promise<ServedCli> {
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const found = /API:\s+(http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(stdout);
      if (found && stdout.includes('Press Ctrl+C')) resolve(found[1]!);
    });
    void exited.then((code) => reject(new Error(`plumb serve exited (${code}) before it was ready: ${stderr}`)));
  });
  return { url, stdout, exited, stderr: () => stderr };
}
