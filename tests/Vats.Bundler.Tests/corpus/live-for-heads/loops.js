export let key, item, pairA, pairB, fromObject;

// Loop heads that assign exported bindings: each iteration's value is seen before the body runs.
export function loops(observe) {
  for (key in { k1: 1, k2: 2 }) observe('for-in');
  for (item of ['i1', 'i2']) observe('for-of');
  for ([pairA, pairB] of [[1, 2], [3, 4]]) observe('for-of array pattern');
  for ({ v: fromObject } of [{ v: 'o1' }, { v: 'o2' }]) {
    observe('for-of object pattern');
  }
  for (const item of ['declared']) observe('a declared loop variable is a local ' + item);
}
