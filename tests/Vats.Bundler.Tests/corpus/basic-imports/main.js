import libDefault, { answer, greet as hi } from './lib.js';
import * as lib from './lib.js';
import def2, * as lib2 from './lib.js';
export const run = () => [libDefault, answer, hi('x'), Object.keys(lib), lib.default, lib === lib2, def2, typeof lib.greet];
