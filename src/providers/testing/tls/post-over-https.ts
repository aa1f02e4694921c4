/**
 * Test helper run as a child process (so NODE_EXTRA_CA_CERTS can trust the test certificate): one
 * POST through plumb's provider transport to the URL in argv, printing the outcome as one JSON line.
 */
import { Deadline } from '../../http/deadline.ts';
import { postRaw, readText } from '../../http/transport.ts';

const url = process.argv[2]!;
const deadline = new Deadline(5_000, undefined);
try {
  const response = await postRaw(url, { 'content-type': 'application/json' }, JSON.stringify({ question: 'über TLS?' }), deadline);
  console.log(JSON.stringify({ status: response.status, body: await readText(response.body) }));
} catch (error) {
  const err = error as { code?: string; cause?: { code?: string }; message?: string };
  console.log(JSON.stringify({ error: err.code ?? err.cause?.code ?? err.message }));
} finally {
  // Its timer would hold the process open; a pooled connection does not.
  deadline.dispose();
}
