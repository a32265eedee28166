#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so a checkout works after `npm install`.
import { register } from 'tsx/esm/api';

register();
await import('../topologies/cli/main.ts');
