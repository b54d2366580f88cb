const indirect = eval;
export const viaIndirect = indirect('1 + 2');
export const viaDirect = eval('typeof globalThis');
export const metaType = typeof import.meta;
export const metaIsObject = import.meta !== null && typeof import.meta === 'object';
export const run = () => [viaIndirect, viaDirect, metaType, metaIsObject];
