export let x = 0, y, z, w, u = 'u0', p, cls, blockFn, __proto__ = 'proto0', q, a1, a2;
let hidden = 1;
export { hidden as h1, hidden as h2 };
export default class D {}

// A named default export is a binding like any other.
export function reassignDefault() { D = 'replaced default'; }

// Less common targets and spellings, each observed from the importer right after it.
export function assignAll(observe) {
  x = (function () {}); observe('parenthesized function ' + x.name);
  \u0079 = 'escaped'; observe('escaped identifier');
  [z = 1, ...w] = []; observe('array default and rest');
  ({ 'u': u, 0: p } = { u: 'U', 0: 'P' }); observe('string and number keys');
  ({ p: { q = 5 } } = { p: {} }); observe('nested shorthand default');
  for (x = 0; x < 2; x++) observe('for statement ' + x);
  x = x => x; observe('arrow whose parameter has the name ' + x.name);
  x = async function* () {}; observe('async generator ' + x.name);
  (function () { x = 'hoisted local'; var x; })(); observe('a var declared later in a function');
  (function (a = (y = 'parameter default')) {})(); observe('parameter default');
  { class cls {} cls = 'block class'; } observe('a class in a block');
  { function blockFn() {} blockFn = 'block function'; } observe('a function in a block');
  try { throw 1; } catch { x = 'catch without a parameter'; } observe('catch');
  x: for (;;) { break x; }
  class K { static f = (x = 'static field'); static { x = 'static block'; } g = (x = 'instance field'); }
  observe('class static parts');
  new K(); observe('class instance field');
  __proto__ = 'proto1'; observe('an export named __proto__');
  hidden = 2; observe('one local, two export names');
  [a1, [a2] = ['nested default']] = [1]; observe('nested array default');
  x = 1; x += x++ + ++x; observe('mixed updates');
  x ??= 3; x = null; x ??= function () {}; observe('??= names a function ' + x.name);
}
