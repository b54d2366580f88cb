export let x = 'x1';
export const y = 'y';
export function setX(v) { x = v; }
export default 'src-default';
