import { viaB, aValue } from './a.js';
import { callsA } from './b.js';
export const run = () => [viaB(), aValue, callsA];
