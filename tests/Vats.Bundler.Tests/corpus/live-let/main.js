import { count, other, third, bump, add, reset } from './counter.js';
import * as c from './counter.js';
export { count as exportedCount } from './counter.js';
export const run = () => {
  const log = [count];
  bump(); log.push(count, c.count);
  add(5); log.push(count, other, third, c.other);
  reset(); log.push(count, c.count);
  return log;
};
