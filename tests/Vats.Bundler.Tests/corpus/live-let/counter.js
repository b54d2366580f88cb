export let count = 0;
export let other = 10, third = 20;
export function bump() { count++; return count; }
export function add(n) { count += n; other = other * 2; third--; }
export function reset() { count = 0; }
