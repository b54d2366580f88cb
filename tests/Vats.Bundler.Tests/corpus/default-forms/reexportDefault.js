export { default } from './asyncArrow.js';
export { default as cls, default as clsAgain } from './parenClass.js';
