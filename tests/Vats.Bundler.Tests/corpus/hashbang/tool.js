#!/usr/bin/env node
// A hashbang comment is allowed only on the first line of a file.
export const tool = 'esm tool';
