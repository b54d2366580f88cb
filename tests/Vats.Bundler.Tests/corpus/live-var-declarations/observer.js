import { v, named, w, k, other, o1, key, i, inBlock } from './vars.js';
// A `var`, not a `const`: `vars.js` calls `observe` before this module's body has run.
var entries;
export function observe(label) {
  (entries ||= []).push([label, v, named && named.name, w, k, other, o1, key, i, inBlock]);
}
export { entries as log };
