import d, { a, b, change } from './m.js';
import * as ns from './m.js';
export { a as 'string name' } from './m.js';
import * as self from './main.js';
export const run = () => { const log = [d, a, b, Object.keys(ns)]; change(); log.push(d, a, b, ns.a, self['string name']); return log; };
