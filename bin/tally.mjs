#!/usr/bin/env node
// The `tally` CLI: a thin shell over lib/. TypeScript sources run through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
