import { log } from './log.js';
import './first.js';
log.push('second');
export const tdz = (() => { try { return late; } catch (e) { return e.constructor.name; } })();
let late = 1;
