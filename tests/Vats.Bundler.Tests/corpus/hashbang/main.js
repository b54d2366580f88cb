import { tool } from './tool.js';
import { cli } from './cli.cjs';
export const run = () => [tool, cli];
