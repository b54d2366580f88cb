import { early, w, v } from './a.js';
import { probe } from './b.js';
export const run = () => [early, w, v, probe()];
