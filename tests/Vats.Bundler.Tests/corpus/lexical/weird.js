// A comment mentioning import('x') and <!-- html --> and eval(code)
/* block: import ( 'y' ) --> */
const a = 10, b = 2, g = 5;
export const division = a / b / g;
export const regex = /[/]import\(/.source;
export const regexAfterParen = (1) / 2;
export const strings = ['import("x")', "eval(1)", '<!-- not a comment -->', 'a-->b', `tpl ${'import('} ${`nested ${`deep ${a}`}`} end`];
export const tpl = `braces } { ${ { x: 1 }.x } ${ a > b ? `yes${'}'}` : 'no' }`;
const obj = { if: 1, import: 2, eval: 3, default: 4, export: 5 };
export const keywordsAsKeys = obj.if + obj.import + obj.eval + obj.default + obj.export;
export const asi = (() => {
  let x = 1
  let y = x
  ++y
  const z = y
  return [x, y, z]
})();
let i = 3;
export const decrement = i-- > 2;
export const methods = { import() { return 'm-import'; }, eval() { return 'm-eval'; } };
export const regexAfterIf = (() => { if (true) /x/.test('x'); return 'ok'; })();
export const ternaryRegex = true ? /a/g.flags : 1;
export const divAfterCall = Math.max(8, 2) / 2;
export const escapes = '\'import\'(' + "\x69mport(" + '\u0065val(';
