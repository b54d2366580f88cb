import { a } from './a.js';
export function b() { return 'b'; }
export const bValue = 'B';
export const callsA = a();
