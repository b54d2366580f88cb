// A counter vat: its root object keeps a count in the heap. Each `increment` adds one and returns the new
// value; `add(n)` adds n; `get` reads it.
import { Far } from '@endo/far';

export function buildRootObject() {
  let count = 0;
  return Far('counter', {
    increment() {
      count += 1;
      return count;
    },
    add(n) {
      if (typeof n !== 'number') throw TypeError(`add needs a number, not ${typeof n}`);
      count += n;
      return count;
    },
    get() {
      return count;
    },
  });
}
