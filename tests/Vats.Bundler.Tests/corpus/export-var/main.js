import { v, w, setAll } from './vars.js';
export const run = () => { const log = [v, w]; setAll(7); log.push(v, w); setAll('q'); log.push(v, w); return log; };
