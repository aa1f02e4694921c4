/** Types shared by the server's routes. */
import type { Plumb } from '../plumb.ts';

export interface ServerEnv {
  Variables: { tenantId: string };
}

export interface ServerContext {
  plumb: Plumb;
  /** True when requests need no API key (loopback in `auth: auto`, or `auth: open`). */
  open: boolean;
}
