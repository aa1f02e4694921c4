#!/usr/bin/env node
// The `plumb` command: runs the TypeScript sources directly through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
