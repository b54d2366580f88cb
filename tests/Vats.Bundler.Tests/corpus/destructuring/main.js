import { a, b, c, e, rest, x, y, p, q, moveAll } from './values.js';
export const run = () => { const log = [a, b, c, e, rest, x, y, p, q]; moveAll(); log.push(x, y, p, q); return log; };
