export let a = 0, b = 0, c = 0, rest = null, first, second, others, deep;

// A shorthand property with a default, as in `({ a, b = 7 } = o)`.
export function objectForm(o) {
  ({ a, b = 7 } = o);
}

// Each target is set (and seen by importers) before the next default is evaluated.
export function renamedWithDefault(o, observe) {
  ({ x: a, y: b = observe('default of b') } = o);
}

export function nestedAndRest(o) {
  ({ p: { q: c }, ...rest } = o);
}

export function arrayForm(list, observe) {
  [first, , second = observe('default of second'), ...others] = list;
}

// The value of a destructuring assignment is its right-hand side.
export function nestedArray(value) {
  return ([[deep], { first }] = value) === value;
}

export function computedKey(o, key) {
  ({ [key]: a } = o);
}
