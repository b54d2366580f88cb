'use strict';
const helper = require('./helper.cjs');
exports.double = n => helper.twice(n);
exports.name = 'legacy';
module.exports.flag = true;
