#!/usr/bin/env node
// The sheetgen command: runs the bundled CLI built by `npm install` (scripts/build.mjs).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv);
