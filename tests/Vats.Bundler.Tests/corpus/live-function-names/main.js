import { f, g, arrow, h, k, orElse, plain, assign } from './names.js';
export const run = () => {
  assign();
  return [f.name, g.name, arrow.name, h.name, k.name, orElse.name, plain.name, typeof g];
};
