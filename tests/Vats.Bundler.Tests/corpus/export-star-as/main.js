export * as m from './m.js';
import { m } from './main.js';
export const run = () => { const log = [Object.keys(m), m.n]; m.inc(); log.push(m.n, Object.prototype.toString.call(m)); return log; };
