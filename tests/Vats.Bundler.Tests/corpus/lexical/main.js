import * as w from './weird.js';
export const run = () => [w.division, w.regex, w.regexAfterParen, w.strings, w.tpl, w.keywordsAsKeys, w.asi, w.decrement, w.methods.import(), w.methods.eval(), w.regexAfterIf, w.ternaryRegex, w.divAfterCall, w.escapes];
