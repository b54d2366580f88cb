import { key, item, pairA, pairB, fromObject, loops } from './loops.js';
export const run = () => {
  const log = [];
  loops(label => log.push([label, key, item, pairA, pairB, fromObject]));
  return log;
};
