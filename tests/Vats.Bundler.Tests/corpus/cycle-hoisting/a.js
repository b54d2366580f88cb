import { probe } from './b.js';
// Runs before the declarations below: the function and the vars already exist, the vars as undefined.
export const early = probe();
var w = 'w';
export { w };
export var v = 'v';
export function f() { return 'f'; }
