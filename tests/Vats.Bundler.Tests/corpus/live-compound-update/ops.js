export let n = 1;
export let s = 'a';
export let maybe = null;
export let flag = 0;
export let big = 2n;
let hidden = 0;
export { hidden as renamed };

// Every compound and logical operator, each observed from the importer right after it.
export function compound(observe) {
  n += 2; observe('+=');
  n -= 1; observe('-=');
  n *= 10; observe('*=');
  n /= 4; observe('/=');
  n %= 3; observe('%=');
  n **= 3; observe('**=');
  n <<= 2; observe('<<=');
  n >>= 1; observe('>>=');
  n >>>= 0; observe('>>>=');
  n |= 16; observe('|=');
  n &= 24; observe('&=');
  n ^= 5; observe('^=');
  s += 'b'; observe('string +=');
  maybe ??= 'set'; observe('??=');
  maybe ||= 'unused'; observe('||= keeps a truthy value');
  flag &&= 'never'; observe('&&= short-circuits');
  flag = 1; flag &&= 'now'; observe('&&=');
  big *= 3n; observe('bigint *=');
  hidden = 'through an alias'; observe('exported under another name');
  return [(n = 100), n];
}

// Prefix and postfix updates: their values, and each change seen at once.
export function updates(observe) {
  const values = [n++, ++n, n--, --n];
  observe('updates ' + values.join());
  observe('no semicolon before the update')
  n++
  observe('after an update on its own line')
  const inner = () => ++n + (n += 1);
  return [values, inner(), n];
}
