import { observe } from './observer.js';
// A `var` initializer assigns a binding that exists from the start: each is published when it runs.
export var v = 'init', named = function () {}, plain;
observe('after the initializers');
export var w;
for (var w of ['w1', 'w2']) observe('for-of var head');
for (var [k, other = observe('default after k')] of [['k1']]) observe('for-of var pattern');
var { o1, o2 = observe('default after o1') } = { o1: 'O1' };
for (var key in { p: 1 }) observe('for-in var head');
for (var i = 0; i < 2; i++) observe('for statement var');
{ var inBlock = 'block'; }
observe('var in a block');
class S { static { var w = 'a static block var is a local'; } }
export { k, other, o1, key, i, inBlock, S };
