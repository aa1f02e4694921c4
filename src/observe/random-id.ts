/**
 * Random hex ids from a pooled buffer: one `randomFillSync` per 4 KiB instead of one per id.
 * Each id is a fresh crypto-random slice (never reused); the pool only amortises the call,
 * which costs several microseconds per id on its own (as Node's `randomUUID` pools too).
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/** `bytes` random bytes as lowercase hex (2 × bytes characters). */
export function randomHex(bytes: number): string {
  if (bytes > POOL_BYTES) return randomFillSync(Buffer.allocUnsafe(bytes)).toString('hex');
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** The current time in milliseconds as 12 hex digits (48 bits, good until the year 10889). */
function millisHex(now: number): string {
  return Math.floor(now).toString(16).padStart(12, '0');
}

/**
 * A 128-bit trace id (32 hex) whose first 48 bits are the time in milliseconds and the other 80
 * random. Ids made close together sort close together, so inserting a trace touches the same
 * index page as the one before it instead of a random one (random trace ids made the traces
 * table's primary key the costliest part of booking a request). W3C Trace Context level 2 asks
 * only the rightmost 7 bytes to be random; AWS X-Ray ids lead with the time the same way.
 */
export function timeOrderedTraceId(now = Date.now()): string {
  return millisHex(now) + randomHex(10);
}

/**
 * A root span's id: the trace id's last 16 hex digits, which are random. Derived rather than drawn,
 * so a trace rebuilt from its ledger row (store/sqlite/ledger-traces.ts) names the same root span
 * the OpenTelemetry collector received.
 */
export function rootSpanIdOf(traceId: string): string {
  return traceId.slice(-16);
}

/** A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, version 7, variant 10, 74 random bits. */
export function uuidV7(now = Date.now()): string {
  const random = randomHex(10);
  const time = millisHex(now);
  const variant = ((parseInt(random[3]!, 16) & 0x3) | 0x8).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(0, 3)}-${variant}${random.slice(4, 7)}-${random.slice(7, 19)}`;
}
