import { n, s, maybe, flag, big, renamed, compound, updates } from './ops.js';
import * as ns from './ops.js';
export const run = () => {
  const log = [];
  const observe = label => log.push([label, n, s, maybe, flag, big, renamed, ns.n]);
  log.push(['compound', compound(observe)]);
  log.push(['updates', updates(observe)]);
  log.push(['end', n, ns.n]);
  return log;
};
