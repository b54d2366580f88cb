import Square, { Shape, Circle } from './shapes.js';
export const run = () => [new Shape().area(), new Square().area(), Square.name, new Circle().area(), Circle.make().kind, new Square() instanceof Shape];
