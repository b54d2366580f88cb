export let n = 1;
export function inc() { n += 1; }
