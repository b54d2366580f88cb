export const a = 'a';
export const shared = 'from-a';
export const dup = 'dup-a';
export default 'a-default';
