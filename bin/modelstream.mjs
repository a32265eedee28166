#!/usr/bin/env node
// The `modelstream` command: the serving application's CLI, built to dist/ by `npm run build`
// (run by `npm install` / `npm ci` in a checkout through `prepare`).
await import('../dist/topologies/cli/main.js');
