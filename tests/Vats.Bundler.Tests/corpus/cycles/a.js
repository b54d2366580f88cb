import { b, bValue } from './b.js';
export function a() { return 'a'; }
export const aValue = 'A';
export const viaB = () => b() + bValue;
