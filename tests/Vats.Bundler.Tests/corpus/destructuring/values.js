const source = { a: 1, nested: { b: 2 }, list: [3, 4, 5] };
export const { a, nested: { b }, list: [c, , e = 9, ...rest] } = source;
export let x = 1, y = 2;
export let [p, q] = ['p', 'q'];
export function moveAll() { x = x + 10; y *= 3; p = 'P'; q += '!'; }
