// The exporter runs first and, in an import cycle, reports to `observer.js` while its body runs.
import './vars.js';
import { log } from './observer.js';
export const run = () => log;
