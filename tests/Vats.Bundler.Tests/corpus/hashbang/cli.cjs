#!/usr/bin/env node
exports.cli = 'cjs tool';
