import { x as localX, y } from './src.js';
export { localX as renamedX, y };
export { x as default, setX } from './src.js';
export { default as srcDefault } from './src.js';
