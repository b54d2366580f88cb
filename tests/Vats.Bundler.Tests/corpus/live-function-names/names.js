export let f, g, arrow, h, k, orElse, plain;

// Anonymous functions and classes take the name of the binding they are assigned to.
export function assign() {
  f = function () {};
  g = class {};
  arrow = () => 1;
  [h = function () {}] = [];
  ({ k = class {} } = {});
  orElse ||= async () => 2;
  plain = (0, function () {});
}
