export const b = 'b';
export const dup = 'dup-b';
export default 'b-default';
