// Portkey's gateway as the overhead benchmark starts it (bound to 127.0.0.1), plus the memory probe.
import { answerMemoryProbes } from './memory-probe.mjs';

answerMemoryProbes();
await import('../../gateway-overhead/servers/portkey.mjs');
