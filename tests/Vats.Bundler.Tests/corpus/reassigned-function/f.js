export function f() { return 'original'; }
export class K { who() { return 'K1'; } }
export function swap() {
  f = function () { return 'swapped'; };
  K = class { who() { return 'K2'; } };
}
