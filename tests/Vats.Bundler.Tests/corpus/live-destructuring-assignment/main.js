import {
  a, b, c, rest, first, second, others, deep,
  objectForm, renamedWithDefault, nestedAndRest, arrayForm, nestedArray, computedKey,
} from './values.js';
export const run = () => {
  const log = [];
  const view = label => [label, a, b, c, rest, first, second, others, deep];
  const observe = label => {
    log.push(view(label));
    return label;
  };
  objectForm({ a: 1 });
  log.push(view('object form'));
  objectForm({ a: 2, b: 3 });
  log.push(view('object form, no default'));
  renamedWithDefault({ x: 'x' }, observe);
  log.push(view('renamed'));
  nestedAndRest({ p: { q: 'q' }, r: 1, s: 2 });
  log.push(view('nested and rest'));
  arrayForm(['f', 'skipped'], observe);
  log.push(view('array'));
  log.push(nestedArray([['d'], { first: 'F' }]));
  log.push(view('nested array'));
  computedKey({ k: 'computed' }, 'k');
  log.push(view('computed key'));
  return log;
};
