/** plumb's version, in a module of its own so `plumb --version` loads nothing else. */
export const PLUMB_VERSION = '0.1.0';
