import { f, K, swap } from './f.js';
export const run = () => { const log = [f(), new K().who(), f.name]; swap(); log.push(f(), new K().who()); return log; };
