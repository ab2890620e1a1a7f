#!/usr/bin/env node
// Committed so that npm links `pastiche` at install time; the bundle it loads is built by `prepare` (npm ci, npm pack).
import '../dist/pastiche.js';
