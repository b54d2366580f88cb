import D2, * as ns from './m.js';
import { x, y, z, w, u, p, cls, blockFn, __proto__ as pr, q, a1, a2, h1, h2, assignAll, reassignDefault } from './m.js';
export const run = () => {
  const log = [];
  assignAll(label => log.push([label, typeof x === 'function' ? 'function' : x, y, z, w, u, p, cls, blockFn, pr, q, a1, a2, h1, h2, ns.x === x]));
  reassignDefault();
  log.push(ns.default, typeof D2 === 'string' ? D2 : 'class');
  return log;
};
