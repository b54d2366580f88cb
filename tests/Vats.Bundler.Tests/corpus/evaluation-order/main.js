import './second.js';
import './first.js';
import { log } from './log.js';
import { tdz } from './second.js';
log.push('main');
export const run = () => [log.slice(), tdz, this === undefined];
