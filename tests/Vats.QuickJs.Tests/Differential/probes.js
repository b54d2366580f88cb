// Differential probes: each block after a "// @probe NAME" line is evaluated as one script in the C# engine
// and in the reference host (engine/Vats.QuickJs/reference-host), in order, in one engine, followed by a run
// to quiescence. The completion value (as JSON), the thrown error, and the printed lines must be identical.

// @probe syntax-destructuring
const {a, b: [c, ...d], e = 5} = {a: 1, b: [2, 3, 4]}; [a, c, d, e]

// @probe syntax-spread-object
({...{x: 1, y: 2}, y: 3, ...null, ...[7]})

// @probe syntax-class-private
class A { #x = 1; static #count = 0; inc() { A.#count++; return ++this.#x } static get count() { return A.#count } static has(o) { return #x in o } } const a = new A(); [a.inc(), a.inc(), A.count, A.has(a), A.has({})]

// @probe syntax-class-static-block
class B { static v = []; static { B.v.push("block"); } static w = B.v.length } [B.v, B.w]

// @probe syntax-class-fields-order
const log = []; class C { a = log.push("a"); constructor() { log.push("ctor") } b = log.push("b") } new C(); log

// @probe syntax-super
class P { hi() { return "P" } static s() { return "Ps" } } class Q extends P { hi() { return super.hi() + "Q" } static s() { return super.s() + "Qs" } } [new Q().hi(), Q.s()]

// @probe syntax-getter-setter
const o = { _v: 1, get v() { return this._v * 2 }, set v(x) { this._v = x + 1 } }; o.v = 10; [o.v, Object.keys(o)]

// @probe syntax-generators
function* g() { const x = yield 1; yield x * 2; return 9 } const it = g(); [it.next(), it.next(21), it.next(), it.next()]

// @probe syntax-generator-return-throw
function* g() { try { yield 1; yield 2 } finally { yield "cleanup" } } const it = g(); it.next(); [it.return(5), it.next(), it.next()]

// @probe syntax-optional-chaining
const o = {a: {b: null, f() { return 3 }}}; [o?.a?.b?.c, o.x?.y, o.a.f?.(), o.a.g?.(), o?.["a"]?.b]

// @probe syntax-nullish-logical-assign
let a = null, b = 0, c = 1; a ??= 5; b ||= 6; c &&= 7; [a, b, c, null ?? "d", 0 ?? "e"]

// @probe syntax-exponent
[2 ** 10, (-2) ** 3, 2 ** -1, 2 ** 3 ** 2]

// @probe syntax-template-tagged
function tag(s, ...v) { return s.raw.join("|") + "#" + v.join(",") } tag`a${1}b\n${2}c`

// @probe syntax-labels
let out = []; outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j === 1) continue outer; if (i === 2) break outer; out.push(i + ":" + j) } } out

// @probe syntax-switch-fallthrough
function f(x) { const r = []; switch (x) { case 1: r.push(1); case 2: r.push(2); break; default: r.push("d"); case 3: r.push(3) } return r } [f(1), f(2), f(3), f(9)]

// @probe syntax-for-in-order
const o = {b: 1, 2: 1, a: 1, 1: 1, [Symbol()]: 1}; const k = []; for (const x in o) k.push(x); k

// @probe syntax-closures-loop
const fs = []; for (let i = 0; i < 3; i++) fs.push(() => i); var gs = []; for (var j = 0; j < 3; j++) gs.push(() => j); [fs.map(f => f()), gs.map(g => g())]

// @probe syntax-default-rest-params
function f(a, b = a + 1, ...rest) { return [a, b, rest, arguments.length] } [f(1), f(1, 5, 6, 7), f.length]

// @probe syntax-arrow-this
const o = { v: 42, m() { return [1].map(() => this.v) } }; o.m()

// @probe syntax-new-target
function F() { return new.target === F } class G { constructor() { this.t = new.target.name } } [new F() instanceof F, F(), new G().t]

// @probe syntax-custom-iterator
const it = { from: 1, to: 4, [Symbol.iterator]() { let c = this.from, t = this.to; return { next: () => c <= t ? {value: c++, done: false} : {value: undefined, done: true} } } }; [...it]

// @probe syntax-computed-keys
const k = "dyn"; ({[k + 1]: 1, [`${k}2`]: 2, [1 + 2]: 3})

// @probe syntax-numeric-separators
[1_000_000, 0b1010_1010, 1_0.5_0]

// @probe syntax-optional-catch
let r; try { throw 1 } catch { r = "caught" } r

// @probe syntax-tdz
try { x; let x = 1 } catch (e) { [e.name, e.message] }

// @probe syntax-hoisting
const r = [typeof f, typeof v]; function f() {} var v = 1; r

// @probe syntax-instanceof-hasinstance
class Even { static [Symbol.hasInstance](n) { return n % 2 === 0 } } [2 instanceof Even, 3 instanceof Even]

// @probe syntax-with-statement
var o = {x: 1}; var r; with (o) { r = x + 1 } r

// @probe syntax-direct-indirect-eval
var g = "global"; function f() { var g = "local"; return [eval("g"), (0, eval)("g")] } f()

// @probe syntax-arguments-mapping
function f(a) { arguments[0] = 9; return a } function g(a) { "use strict"; arguments[0] = 9; return a } [f(1), g(1)]

// @probe syntax-strict-this
function f() { "use strict"; return this } function g() { return typeof this } [f(), g()]

// @probe syntax-comma-void-typeof
[(1, 2), void 0, typeof null, typeof undefined, typeof function(){}, typeof Symbol(), typeof 1n]

// @probe syntax-async-arrow
const f = async (x) => x * 2; f(21).then(v => print("async arrow", v)); "sync"

// @probe syntax-class-accessors-static
class T { static #p = 5; static get p() { return T.#p } static set p(v) { T.#p = v * 10 } } T.p = 2; T.p

// @probe syntax-object-shorthand-methods
const x = 1; const o = {x, m() { return this.x }, async am() {}, *gm() {}, get g() { return 2 }}; [o.m(), o.g, typeof o.am, typeof o.gm]

// @probe syntax-array-holes
const a = [1, , 3]; [a.length, 1 in a, a.map(x => x * 2), Object.keys(a)]

// @probe syntax-chained-assignment
let a, b, c; a = b = c = 5; [a, b, c]

// @probe syntax-increment-coercion
let s = "5"; s++; let t = "5"; t += 1; [s, t, +"", +" 12 ", +"0x10", +"1e3"]

// @probe syntax-getter-on-prototype-chain
const base = { get who() { return this.name } }; const o = Object.create(base); o.name = "child"; o.who

// @probe syntax-class-extends-builtin
class MyArr extends Array { sum() { return this.reduce((a, b) => a + b, 0) } } const m = MyArr.from([1, 2, 3]); [m.sum(), m instanceof Array, m.map(x => x).constructor.name]

// @probe syntax-regex-literal-in-expr
const s = "a1b22c333"; s.replace(/\d+/g, m => `<${m.length}>`)

// @probe syntax-async-generator
async function* ag() { yield 1; await null; yield 2 } (async () => { const r = []; for await (const v of ag()) r.push(v); print("asyncgen", JSON.stringify(r)) })(); 0

// @probe array-methods-basic
[1, 2, 3, 4].map(x => x * x).filter(x => x % 2 === 0).reduce((a, b) => a + b, 0)

// @probe array-flat
[[1, [2, [3, [4]]]].flat(), [1, [2, [3, [4]]]].flat(Infinity), [1, 2].flatMap(x => [x, x * 10])]

// @probe array-at-findlast
[[1, 2, 3].at(-1), [1, 2, 3, 4].findLast(x => x % 2), [1, 2, 3, 4].findLastIndex(x => x > 9)]

// @probe array-change-by-copy
const a = [3, 1, 2]; [a.toSorted(), a.toReversed(), a.with(0, 9), a.toSpliced(1, 1, "x", "y"), a]

// @probe array-copywithin-fill
[[1, 2, 3, 4, 5].copyWithin(0, 3), new Array(4).fill(7, 1, 3), Array.from({length: 3}, (_, i) => i * 2)]

// @probe array-includes-nan
[[NaN].includes(NaN), [NaN].indexOf(NaN), [-0].includes(0), [1, 2, 3].lastIndexOf(3)]

// @probe array-sort-stable
const a = [{k: 1, v: "a"}, {k: 0, v: "b"}, {k: 1, v: "c"}, {k: 0, v: "d"}]; a.sort((x, y) => x.k - y.k).map(x => x.v).join("")

// @probe array-sort-default
[10, 9, 1, 100, undefined, 2].sort()

// @probe array-join-tostring
[[1, [2, 3]].toString(), [null, undefined, 1].join("-"), String([])]

// @probe array-of-from
[Array.of(7), Array.of(1, 2), Array.from("héy"), Array.from(new Set([1, 1, 2]))]

// @probe array-length-truncate
const a = [1, 2, 3, 4]; a.length = 2; a.push(9); a

// @probe array-splice
const a = [1, 2, 3, 4, 5]; const r = a.splice(1, 2, "a", "b", "c"); [a, r]

// @probe array-every-some
[[2, 4].every(x => x % 2 === 0), [1, 3].some(x => x > 2), [].every(x => false), [].some(x => true)]

// @probe array-keys-entries
[[...["a", "b"].keys()], [...["a", "b"].entries()]]

// @probe object-entries-fromentries
Object.fromEntries(Object.entries({a: 1, b: 2}).map(([k, v]) => [k.toUpperCase(), v * 10]))

// @probe object-assign
Object.assign({a: 1}, {b: 2}, null, {a: 3})

// @probe object-groupby
typeof Object.groupBy === "function" ? Object.groupBy([1, 2, 3, 4, 5], x => x % 2 ? "odd" : "even") : "none"

// @probe map-groupby
typeof Map.groupBy === "function" ? [...Map.groupBy([1, 2, 3], x => x > 1)] : "none"

// @probe object-keys-order
Object.keys({z: 1, 10: 1, 2: 1, a: 1, "-1": 1, "01": 1})

// @probe object-freeze-seal
(function () { "use strict"; const o = Object.freeze({a: 1}); let e; try { o.a = 2 } catch (x) { e = x.name } const s = Object.seal({b: 1}); s.b = 3; return [e, Object.isFrozen(o), Object.isSealed(s), s.b] })()

// @probe object-define-property
const o = {}; Object.defineProperty(o, "x", {value: 1, enumerable: false}); [o.x, Object.keys(o), JSON.stringify(Object.getOwnPropertyDescriptor(o, "x"))]

// @probe object-descriptors
Object.getOwnPropertyDescriptors({get a() { return 1 }, b: 2})

// @probe object-is
[Object.is(NaN, NaN), Object.is(0, -0), Object.is("a", "a"), NaN === NaN, 0 === -0]

// @probe object-prototype-tostring
[Object.prototype.toString.call([]), Object.prototype.toString.call(null), Object.prototype.toString.call(new Date(0)), Object.prototype.toString.call(/x/), Object.prototype.toString.call(function(){})]

// @probe object-create-null
const o = Object.create(null); o.x = 1; [Object.getPrototypeOf(o), "toString" in o, Object.keys(o)]

// @probe object-hasown
[Object.hasOwn({a: 1}, "a"), Object.hasOwn({}, "toString"), ({}).hasOwnProperty.call({b: 1}, "b")]

// @probe string-padding
["5".padStart(3, "0"), "ab".padEnd(5, "xy"), "abc".padStart(2)]

// @probe string-replaceall
["a-b-c".replaceAll("-", "+"), "aaa".replaceAll("a", "$&$&"), "x.y".replace(".", "$`")]

// @probe string-at-slice
["hello".at(-1), "hello".slice(-3, -1), "hello".substring(3, 1), "hello".substr(1, 2)]

// @probe string-split
["a,b,,c".split(","), "abc".split(""), "a1b2c".split(/\d/), "a,b,c".split(",", 2)]

// @probe string-trim-case
["  x  ".trim() + "|", " y ".trimStart() + "|", " z ".trimEnd() + "|", "MiXeD".toLowerCase(), "straße".toUpperCase()]

// @probe string-search
["hello world".indexOf("o"), "hello world".lastIndexOf("o"), "abc".includes("bc"), "abc".startsWith("ab"), "abc".endsWith("bc"), "abc".search(/c/)]

// @probe string-repeat-concat
["ab".repeat(3), "a".concat(1, null, [2, 3]), "x".repeat(0)]

// @probe string-localecompare
["a".localeCompare("b"), "b".localeCompare("a"), "a".localeCompare("a"), ["é", "e", "f"].sort((x, y) => x.localeCompare(y))]

// @probe number-tofixed-precision
[(1.005).toFixed(2), (123.456).toPrecision(4), (0.000001234).toPrecision(2), (1e21).toFixed(2), (-1.5).toFixed(0)]

// @probe number-tostring-radix
[(255).toString(16), (255).toString(2), (-255).toString(36), (0.5).toString(2), (3.14159).toString(7)]

// @probe number-exponential
[(123456).toExponential(2), (0).toExponential(), (1.5e-7).toString(), (1e21).toString(), (123e-20).toString()]

// @probe number-parse
[parseInt("0x1f"), parseInt("08"), parseInt("12px"), parseFloat("3.14abc"), parseFloat(".5e1"), Number("12px"), Number(""), parseInt("z", 36)]

// @probe number-constants
[Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.EPSILON, Number.MAX_VALUE, Number.MIN_VALUE]

// @probe number-predicates
[Number.isInteger(5.0), Number.isSafeInteger(2 ** 53), Number.isFinite("5"), isFinite("5"), Number.isNaN("x"), isNaN("x")]

// @probe number-shortest-roundtrip
[0.1 + 0.2, 1 / 3, 2 / 3, 123.456e300, 5e-324, 1.7976931348623157e308, 100, 1e100]

// @probe math-basic
[Math.max(1, 5, 3), Math.min(), Math.max(), Math.abs(-7.5), Math.sign(-3), Math.trunc(-4.7), Math.round(2.5), Math.round(-2.5), Math.round(-0.4)]

// @probe math-transcendental
[Math.sin(1), Math.cos(1), Math.tan(1), Math.exp(1), Math.log(10), Math.log2(3), Math.log10(7), Math.atan2(1, 2)]

// @probe math-more
[Math.sqrt(2), Math.cbrt(27), Math.hypot(3, 4), Math.pow(2, 0.5), Math.sinh(1), Math.acosh(2), Math.expm1(1e-10), Math.log1p(1e-10)]

// @probe math-rounding
[Math.floor(-0.5), Math.ceil(-0.5), Math.fround(5.5), Math.fround(5.05), Math.clz32(1), Math.imul(0xffffffff, 5)]

// @probe math-special-values
[Math.max(NaN, 1), Math.min(-0, 0), 1 / Math.min(-0, 0), Math.round(0.49999999999999994), Math.sqrt(-1), Math.pow(NaN, 0)]

// @probe math-random-seeded
[Math.random(), Math.random(), Math.random()]

// @probe map-set-order
const m = new Map([["b", 1], ["a", 2]]); m.set("c", 3); m.delete("b"); m.set("b", 4); const s = new Set([3, 1, 3, 2]); [[...m], [...s], m.size, s.has(1)]

// @probe map-key-equality
const m = new Map(); m.set(NaN, "nan"); m.set(0, "zero"); [m.get(NaN), m.get(-0), m.size]

// @probe weakmap-basic
const k = {}; const w = new WeakMap([[k, 1]]); const ws = new WeakSet([k]); [w.get(k), w.has({}), ws.has(k)]

// @probe set-methods
const a = new Set([1, 2, 3]), b = new Set([2, 3, 4]); typeof a.union === "function" ? [[...a.union(b)], [...a.intersection(b)], [...a.difference(b)], a.isSubsetOf(b)] : "none"

// @probe symbol-basics
const s = Symbol("desc"); [s.toString(), s.description, Symbol.for("k") === Symbol.for("k"), Symbol.keyFor(Symbol.for("k")), typeof Symbol.iterator]

// @probe symbol-toprimitive
const o = {[Symbol.toPrimitive](hint) { return hint === "number" ? 42 : "str:" + hint }}; [+o, `${o}`, o + ""]

// @probe symbol-tostringtag
class X { get [Symbol.toStringTag]() { return "Custom" } } String(new X())

// @probe reflect-api
const o = {a: 1}; [Reflect.has(o, "a"), Reflect.ownKeys({b: 1, [Symbol.for("s")]: 2}).map(String), Reflect.getPrototypeOf([]) === Array.prototype, Reflect.apply(Math.max, null, [1, 3, 2]), Reflect.construct(Date, [0]).getTime()]

// @probe function-properties
function named(a, b) {} const anon = function() {}; const arrow = () => {}; [named.name, named.length, anon.name, arrow.name, (function(){}).bind().name, named.toString()]

// @probe function-bind-call-apply
function f(a, b) { return [this && this.v, a, b] } [f.call({v: 1}, 2, 3), f.apply({v: 4}, [5, 6]), f.bind({v: 7}, 8)(9)]

// @probe function-constructor
new Function("a", "b", "return a * b")(6, 7)

// @probe globalthis-basics
[typeof globalThis, globalThis === this, typeof globalThis.Intl, typeof globalThis.queueMicrotask, typeof globalThis.structuredClone]

// @probe iterator-helpers
typeof Iterator === "function" ? [...[1, 2, 3, 4, 5].values().filter(x => x % 2).map(x => x * 10).take(2)] : "none"

// @probe iterator-prototype-shape
const d = Object.getOwnPropertyDescriptor(Iterator.prototype, Symbol.toStringTag); [typeof d.get, typeof d.set, d.get.call(undefined), String(Iterator.prototype[Symbol.toStringTag])]

// @probe array-from-iterator-done
const it = [1, 2, 3][Symbol.iterator](); it.next(); [...it]

// @probe string-iterator-surrogates
[..."a😀b"].length

// @probe date-now-fixed
[Date.now(), new Date().getTime(), typeof Date()]

// @probe error-typeerror-message
try { null.x } catch (e) { [e.name, e.message, e instanceof TypeError] }

// @probe error-referenceerror
try { undefinedVariable } catch (e) { [e.name, e.message] }

// @probe error-rangeerror
try { new Array(-1) } catch (e) { [e.name, e.message] }

// @probe error-syntax-eval
try { eval("let let = 1") } catch (e) { [e.name, e.message] }

// @probe error-json-parse
try { JSON.parse("{bad") } catch (e) { [e.name, e.message] }

// @probe error-custom-subclass
class MyErr extends Error { constructor(m) { super(m); this.name = "MyErr" } } try { throw new MyErr("boom") } catch (e) { [e.name, e.message, e instanceof Error, String(e)] }

// @probe error-cause
const e = new Error("outer", {cause: new Error("inner")}); [e.message, e.cause.message, "cause" in new Error("x")]

// @probe error-aggregate
const e = new AggregateError([new Error("a"), new TypeError("b")], "many"); [e.name, e.message, e.errors.map(x => x.name)]

// @probe error-stack-format
function inner() { throw new Error("deep") } function outer() { inner() } try { outer() } catch (e) { e.stack }

// @probe error-throw-primitive
throw 42

// @probe error-throw-object
throw {code: 7}

// @probe error-uncaught-typeerror
undefined.foo()

// @probe error-finally-override
function f() { try { return "try" } finally { return "finally" } } function g() { try { throw 1 } catch (e) { return "catch" } finally { print("finally ran") } } [f(), g()]

// @probe error-getter-throws
const o = { get bad() { throw new RangeError("getter") } }; try { o.bad } catch (e) { [e.name, e.message] }

// @probe error-stack-overflow-catchable
function r(n) { return r(n + 1) + 1 } try { r(0) } catch (e) { [e.name, e.message] }

// @probe error-tostring
[String(new TypeError("x")), Error.prototype.toString.call({name: "N", message: "M"}), String(new Error())]

// @probe error-not-a-function
try { const o = {}; o.method() } catch (e) { [e.name, e.message] }

// @probe error-not-constructor
try { new (() => {})() } catch (e) { [e.name, e.message] }

// @probe error-const-assign
try { const c = 1; c = 2 } catch (e) { [e.name, e.message] }

// @probe error-invalid-bigint-mix
try { 1n + 1 } catch (e) { [e.name, e.message] }

// @probe error-symbol-to-string
try { "" + Symbol("s") } catch (e) { [e.name, e.message] }

// @probe error-syntax-top-level
let = ;

// @probe error-nested-rethrow
try { try { throw new Error("a") } catch (e) { throw new Error("b: " + e.message) } } catch (e) { e.message }

// @probe promise-then-order
const log = []; Promise.resolve().then(() => log.push(1)).then(() => log.push(3)); Promise.resolve().then(() => log.push(2)).then(() => log.push(4)); setImmediate(() => print(log.join(","))); "scheduled"

// @probe promise-await-vs-then
const log = []; (async () => { log.push("a1"); await null; log.push("a2"); await null; log.push("a3") })(); Promise.resolve().then(() => log.push("t1")).then(() => log.push("t2")); log.push("sync"); setImmediate(() => print(log.join(",")))

// @probe promise-all
Promise.all([1, Promise.resolve(2), new Promise(r => setImmediate(() => r(3)))]).then(v => print("all", JSON.stringify(v)))

// @probe promise-allsettled
Promise.allSettled([Promise.resolve(1), Promise.reject(new Error("no"))]).then(r => print(JSON.stringify(r.map(x => x.status + ":" + (x.value ?? x.reason.message)))))

// @probe promise-any
Promise.any([Promise.reject(1), Promise.resolve(2), Promise.resolve(3)]).then(v => print("any", v)); Promise.any([Promise.reject(new Error("x"))]).catch(e => print(e.name, e.errors.length))

// @probe promise-race
Promise.race([new Promise(r => setImmediate(() => r("slow"))), Promise.resolve("fast")]).then(v => print("race", v))

// @probe promise-thenable-adoption
const log = []; const thenable = { then(res) { log.push("then called"); res("T") } }; Promise.resolve(thenable).then(v => log.push(v)); Promise.resolve().then(() => log.push("p1")).then(() => log.push("p2")).then(() => log.push("p3")); setImmediate(() => print(log.join(",")))

// @probe promise-return-promise-ticks
const log = []; (async () => { return Promise.resolve("r") })().then(v => log.push(v)); Promise.resolve().then(() => log.push(1)).then(() => log.push(2)).then(() => log.push(3)).then(() => log.push(4)); setImmediate(() => print(log.join(",")))

// @probe promise-finally
Promise.resolve(5).finally(() => print("finally")).then(v => print("value", v)); Promise.reject(new Error("e")).finally(() => 1).catch(e => print("caught", e.message))

// @probe promise-rejection-chain
Promise.reject(new TypeError("first")).then(() => print("skipped")).catch(e => { print("catch", e.name); return "recovered" }).then(v => print(v))

// @probe promise-executor-throws
new Promise(() => { throw new Error("in executor") }).catch(e => print("executor", e.message))

// @probe promise-unhandled-silent
Promise.reject(new Error("nobody listens")); "done"

// @probe promise-resolve-identity
const p = Promise.resolve(1); [Promise.resolve(p) === p, p instanceof Promise, typeof Promise.withResolvers]

// @probe promise-with-resolvers
if (Promise.withResolvers) { const { promise, resolve } = Promise.withResolvers(); promise.then(v => print("resolved", v)); resolve(9) } "ok"

// @probe async-await-error
(async () => { try { await Promise.reject(new RangeError("r")) } catch (e) { print("await caught", e.name) } })()

// @probe async-loop-order
const log = []; async function worker(name, n) { for (let i = 0; i < n; i++) { await null; log.push(name + i) } } worker("a", 3); worker("b", 2); setImmediate(() => print(log.join(" ")))

// @probe setimmediate-order
const log = []; setImmediate(() => { log.push("i1"); Promise.resolve().then(() => log.push("j1")) }); setImmediate(() => log.push("i2")); setImmediate(() => setImmediate(() => print(log.join(",")))); Promise.resolve().then(() => log.push("j0"))

// @probe setimmediate-argument
setImmediate((x) => print("arg", x), 0, "third")

// @probe promise-state-sync
let state = "pending"; const p = Promise.resolve(1); p.then(() => { state = "done" }); state

// @probe microtask-in-microtask
const log = []; Promise.resolve().then(() => { log.push(1); Promise.resolve().then(() => log.push(3)) }).then(() => log.push(4)); Promise.resolve().then(() => log.push(2)); setImmediate(() => print(log.join("")))

// @probe weakref-deref-live
const target = {v: 1}; const w = new WeakRef(target); [w.deref() === target, typeof WeakRef.prototype.deref]

// @probe weakref-after-gc
var holder = {o: {}}; holder.o.self = holder.o; var wr = new WeakRef(holder.o); holder.o = null; gc(); wr.deref() === undefined

// @probe finalization-registry-callback
var fin = []; var reg = new FinalizationRegistry(v => fin.push(v)); (function () { const a = {}; a.me = a; reg.register(a, "cycle"); reg.register({}, "plain") })(); gc(); setImmediate(() => print("finalized", JSON.stringify(fin.sort())))

// @probe finalization-unregister
var fin2 = []; var reg2 = new FinalizationRegistry(v => fin2.push(v)); var token = {}; (function () { const b = {}; b.me = b; reg2.register(b, "b", token) })(); reg2.unregister(token); gc(); setImmediate(() => print("after unregister", fin2.length))

// @probe weakref-keeps-live-target
var keep = {k: 1}; var wk = new WeakRef(keep); gc(); wk.deref() === keep

// @probe weakmap-after-gc
var wm = new WeakMap(); var key = {}; wm.set(key, "v"); gc(); wm.get(key)

// @probe bigint-arithmetic
[String(2n ** 100n), String(-7n / 2n), String(-7n % 2n), String(12345678901234567890n * 98765432109876543210n)]

// @probe bigint-asintn
[String(BigInt.asIntN(8, 255n)), String(BigInt.asUintN(8, -1n)), String(BigInt.asIntN(64, 2n ** 63n)), String(BigInt.asUintN(64, -1n))]

// @probe bigint-tostring-radix
[(255n).toString(16), (-255n).toString(2), BigInt("0x1fffffffffffff").toString(36), String(BigInt("  123  "))]

// @probe bigint-comparisons
[1n < 2, 2n == 2, 2n === 2, 1n < 1.5, 10n > 9.99, 0n == "", typeof (5n * 5n)]

// @probe bigint-from-number
[String(BigInt(1e21)), String(BigInt(Number.MAX_SAFE_INTEGER) + 2n), (() => { try { return BigInt(1.5) } catch (e) { return e.name } })()]

// @probe bigint-factorial
let f = 1n; for (let i = 1n; i <= 50n; i++) f *= i; String(f)

// @probe bigint-shifts-bitwise
[String(1n << 70n), String(-1n >> 3n), String(0xffn & 0x0fn), String(5n ^ 3n), String(~5n)]

// @probe bigint64array
const a = new BigInt64Array([-1n, 2n ** 63n - 1n]); const u = new BigUint64Array(a.buffer); [String(a[0]), String(a[1]), String(u[0])]

// @probe bigint-json
try { JSON.stringify({n: 1n}) } catch (e) { [e.name, e.message] }

// @probe bigint-completion-value
2n ** 64n

// @probe bigint-division-by-zero
try { 1n / 0n } catch (e) { [e.name, e.message] }

// @probe bigint-pow-negative
try { 2n ** -1n } catch (e) { [e.name, e.message] }

// @probe proxy-get-set-trap
const log = []; const p = new Proxy({}, { get(t, k) { log.push("get:" + String(k)); return Reflect.get(t, k) }, set(t, k, v) { log.push("set:" + k); return Reflect.set(t, k, v * 2) } }); p.x = 5; [p.x, log]

// @probe proxy-has-delete
const p = new Proxy({a: 1, secret: 2}, { has(t, k) { return k !== "secret" && k in t }, deleteProperty(t, k) { return k !== "a" } }); ["a" in p, "secret" in p, delete p.a, Reflect.deleteProperty(p, "secret")]

// @probe proxy-ownkeys
const p = new Proxy({a: 1, b: 2}, { ownKeys() { return ["b", "a", "c"] }, getOwnPropertyDescriptor(t, k) { return k === "c" ? undefined : Reflect.getOwnPropertyDescriptor(t, k) } }); [Object.keys(p), Reflect.ownKeys(p)]

// @probe proxy-apply-construct
const f = new Proxy(function (a) { return a }, { apply(t, th, args) { return "apply:" + args }, construct(t, args) { return {made: args[0]} } }); [f(1, 2), new f(7).made]

// @probe proxy-revocable
const {proxy, revoke} = Proxy.revocable({}, {}); proxy.a = 1; revoke(); try { proxy.a } catch (e) { [e.name, e.message] }

// @probe proxy-invariant-violation
const t = {}; Object.defineProperty(t, "fixed", {value: 1, writable: false, configurable: false}); const p = new Proxy(t, { get() { return 2 } }); try { p.fixed } catch (e) { [e.name, e.message] }

// @probe proxy-getprototypeof
const p = new Proxy({}, { getPrototypeOf() { return Array.prototype } }); [p instanceof Array, Array.isArray(p), Array.isArray(new Proxy([], {}))]

// @probe proxy-as-prototype
const proto = new Proxy({}, { get(t, k, r) { return typeof k === "string" ? "virtual:" + k : undefined } }); const o = Object.create(proto); o.real = 1; [o.real, o.anything]

// @probe proxy-function-typeof
[typeof new Proxy(function () {}, {}), typeof new Proxy({}, {}), typeof new Proxy(class {}, {})]

// @probe proxy-defineproperty-trap
const log = []; const p = new Proxy({}, { defineProperty(t, k, d) { log.push(k + "=" + d.value); return Reflect.defineProperty(t, k, d) } }); p.a = 1; Object.defineProperty(p, "b", {value: 2}); log

// @probe regexp-named-groups
const m = /(?<year>\d{4})-(?<month>\d{2})/.exec("on 2024-05!"); [m.groups.year, m.groups.month, m.index, "2024-05".replace(/(?<y>\d+)-(?<m>\d+)/, "$<m>/$<y>")]

// @probe regexp-lookbehind
["$10 €20 $30".match(/(?<=\$)\d+/g), "abc".replace(/(?<!a)c/, "X"), "price: 42".match(/(?<=: )\d+/)[0]]

// @probe regexp-unicode-flag
[/^.$/u.test("😀"), /^.$/.test("😀"), "😀".match(/./gu).length, /\u{1F600}/u.test("😀")]

// @probe regexp-sticky
const r = /a/y; r.lastIndex = 1; [r.test("ba"), r.lastIndex, r.test("ba"), r.lastIndex]

// @probe regexp-dotall
[/a.b/.test("a\nb"), /a.b/s.test("a\nb"), /a.b/s.flags]

// @probe regexp-matchall
[..."a1b2c3".matchAll(/[a-z](\d)/g)].map(m => m[1] + "@" + m.index)

// @probe regexp-replace-fn
"John Smith".replace(/(\w+)\s(\w+)/, (m, a, b, off, s) => `${b}, ${a} (${off}/${s.length})`)

// @probe regexp-split-captures
["a1b2c".split(/(\d)/), "abc".split(/(?:)/u), "".split(/x/)]

// @probe regexp-lastindex-global
const r = /o/g; const s = "foo boo"; const out = []; let m; while ((m = r.exec(s))) out.push(m.index); out

// @probe regexp-unicode-properties
["aéΩ1!".match(/\p{L}/gu), /\p{Script=Greek}/u.test("Ω"), /\P{Ll}/u.test("a")]

// @probe regexp-indices
const m = /(?<w>b+)/d.exec("aabbbc"); [m.indices[0], m.indices.groups.w]

// @probe regexp-backreference-ignorecase
[/(a)\1/i.test("aA"), /\bfoo\b/.test("a foo b"), /ß/i.test("SS"), /[a-z]/i.test("K")]

// @probe regexp-source-flags-tostring
const r = new RegExp("a/b", "gimsuy"); [r.source, r.flags, String(r), String(new RegExp(""))]

// @probe regexp-catastrophic-limited
/^(a+)+$/.test("aaaaaaaaaaaa!")

// @probe regexp-symbol-replace
["aaa".replace(/a/g, "$$"), "abc".replace(/b/, "[$'|$`]"), RegExp.prototype[Symbol.replace].call(/x/, "axb", "Y")]

// @probe regexp-v-flag
try { [new RegExp("[\\p{L}--[a-z]]", "v").test("A"), new RegExp("[\\p{L}--[a-z]]", "v").test("a")] } catch (e) { e.name }

// @probe json-stringify-indent
JSON.stringify({a: [1, {b: 2}], c: "x"}, null, 2)

// @probe json-stringify-replacer
JSON.stringify({a: 1, b: "two", c: [3]}, (k, v) => typeof v === "number" ? v * 10 : v) + JSON.stringify({a: 1, b: 2, c: 3}, ["c", "a"])

// @probe json-tojson
JSON.stringify({date: new Date(0), custom: {toJSON(k) { return "key:" + k }}})

// @probe json-parse-reviver
JSON.parse('{"a": 1, "b": {"c": 2}}', (k, v) => typeof v === "number" ? v + 100 : v)

// @probe json-special-numbers
JSON.stringify([NaN, Infinity, -Infinity, -0, 1e21, 1e-7])

// @probe json-unicode-escapes
JSON.stringify(["\u2028\u2029", "\ud800", "\udc00x", "é😀", "\u0000\u001f\""])

// @probe json-parse-unicode
JSON.parse('"\\ud83d\\ude00 \\u00e9"')

// @probe json-undefined-functions
JSON.stringify({a: undefined, b: () => 1, c: Symbol(), d: [undefined, function () {}]})

// @probe json-nested-deep
let v = 0; for (let i = 0; i < 100; i++) v = [v]; JSON.stringify(v).length

// @probe json-parse-errors
["{", "[1,]", "01", "\"\t\""].map(s => { try { JSON.parse(s); return "ok" } catch (e) { return e.name } })

// @probe json-cyclic
const o = {}; o.self = o; try { JSON.stringify(o) } catch (e) { [e.name, e.message] }

// @probe json-boxed-primitives
JSON.stringify([new Number(3), new String("s"), new Boolean(false), Object(1n) instanceof BigInt])

// @probe json-raw-json
typeof JSON.rawJSON === "function" ? JSON.stringify({n: JSON.rawJSON("12345678901234567890")}) : "none"

// @probe typedarray-uint8-overflow
const a = new Uint8Array([255, 256, -1, 1.7]); [...a]

// @probe typedarray-clamped
[...new Uint8ClampedArray([300, -5, 1.5, 2.5, 254.5])]

// @probe typedarray-int-conversion
[...new Int8Array([127, 128, -129]), ...new Int16Array([32768]), ...new Uint32Array([-1])]

// @probe dataview-endianness
const dv = new DataView(new ArrayBuffer(8)); dv.setUint32(0, 0x01020304); dv.setUint32(4, 0x01020304, true); [...new Uint8Array(dv.buffer)]

// @probe dataview-float
const dv = new DataView(new ArrayBuffer(8)); dv.setFloat64(0, Math.PI); [dv.getUint32(0).toString(16), dv.getUint32(4).toString(16), dv.getFloat32(0)]

// @probe float32-rounding
[...new Float32Array([0.1, 1e40, -1e-50, 16777217])]

// @probe nan-bits-float64
const f = new Float64Array([NaN, 0 / 0, Math.sqrt(-1), -NaN]); [...new Uint8Array(f.buffer)].map(b => b.toString(16)).join(",")

// @probe nan-bits-float32
const f = new Float32Array([NaN, 0 / 0, Infinity - Infinity]); [...new Uint8Array(f.buffer)].map(b => b.toString(16)).join(",")

// @probe typedarray-subarray-shares
const a = new Uint8Array([1, 2, 3, 4]); const s = a.subarray(1, 3); s[0] = 9; const c = a.slice(1, 3); c[0] = 7; [[...a], [...s], [...c]]

// @probe typedarray-set-sort
const a = new Int32Array(5); a.set([5, -1, 3], 1); a.sort(); [...a]

// @probe typedarray-from-map
[...Float64Array.from([1, 2, 3], x => x / 4)]

// @probe typedarray-out-of-range
try { new Uint8Array(new ArrayBuffer(4), 1, 4) } catch (e) { [e.name, e.message] }

// @probe arraybuffer-slice-resize
const b = new ArrayBuffer(4, {maxByteLength: 16}); const r = [b.resizable, b.byteLength]; if (b.resize) { b.resize(8); r.push(b.byteLength, b.maxByteLength) } r.push(b.slice(1, 3).byteLength); r

// @probe arraybuffer-transfer
const b = new ArrayBuffer(8); if (!b.transfer) "none"; else { const c = b.transfer(4); [b.detached, b.byteLength, c.byteLength] }

// @probe typedarray-tostring-join
[new Uint16Array([1, 2, 3]).toString(), new Float64Array([1.5, -0]).join(";"), Object.prototype.toString.call(new Int8Array())]

// @probe typedarray-at-with
const a = new Int8Array([1, 2, 3]); typeof a.with === "function" ? [a.at(-1), [...a.with(0, 9)], [...a.toReversed()]] : [a.at(-1)]

// @probe typedarray-bytes-per-element
[Int8Array, Uint16Array, Int32Array, Float32Array, Float64Array, BigInt64Array].map(c => c.BYTES_PER_ELEMENT)

// @probe dataview-bigint
const dv = new DataView(new ArrayBuffer(8)); dv.setBigInt64(0, -2n); [String(dv.getBigUint64(0)), String(dv.getBigInt64(0, true))]

// @probe typedarray-detached-length
const b = new ArrayBuffer(8); const a = new Uint8Array(b); if (!b.transfer) "none"; else { b.transfer(); [a.length, a.byteLength] }

// @probe unicode-length-codepoints
const s = "a😀é"; [s.length, [...s].length, s.codePointAt(1), s.charCodeAt(1), s.codePointAt(2)]

// @probe unicode-fromcodepoint
[String.fromCodePoint(0x1F600, 97), String.fromCharCode(0xD83D, 0xDE00) === "😀", (() => { try { String.fromCodePoint(0x110000) } catch (e) { return e.name } })()]

// @probe unicode-normalize
["\u0065\u0301".normalize("NFC").length, "\u00e9".normalize("NFD").length, "\ufb01".normalize("NFKC"), "Å" === "\u212b".normalize()]

// @probe unicode-case-mapping
["ß".toUpperCase(), "İ".toLowerCase().length, "Σ".toLowerCase(), "ΌΣΟΣ".toLowerCase(), "ǅ".toUpperCase()]

// @probe unicode-well-formed
typeof "".isWellFormed === "function" ? ["a\ud800".isWellFormed(), "a\ud800".toWellFormed().charCodeAt(1), "😀".isWellFormed()] : "none"

// @probe unicode-string-raw
[String.raw`a\nb${1}`, String.raw({raw: ["x", "y", "z"]}, 1, 2)]

// @probe unicode-escapes
["\u{1F600}" === "😀", "\x41", "\101".length, "\u00e9" === "é"]

// @probe unicode-surrogate-slicing
const s = "😀"; [s.slice(0, 1).charCodeAt(0), s[0] + s[1] === s, s.split("").length, Array.from(s).length]

// @probe unicode-lone-surrogate-json
JSON.stringify("\ud83d") + JSON.stringify("\ude00\ud83d")

// @probe unicode-localecompare-accents
["résumé", "resume", "Resume", "résume"].sort((a, b) => a.localeCompare(b))

// @probe unicode-string-comparison
["é" < "f", "Z" < "a", "😀" > "\uffff", "a".codePointAt(0) < "😀".codePointAt(0)]

// @probe unicode-trim-spaces
["\u00a0\u2003x\u3000\ufeff".trim(), "\u200b".trim().length]

// @probe unicode-regexp-case-insensitive
[/σ/iu.test("Σ"), /ς/iu.test("Σ"), /\u212a/i.test("k"), /\u212a/iu.test("k")]

// @probe unicode-textencoder-roundtrip
const s = "héllo 😀 \u0000 end"; const b = new TextEncoder().encode(s); [b.length, new TextDecoder().decode(b) === s]

// @probe unicode-textdecoder-invalid
const d = new TextDecoder(); [d.decode(new Uint8Array([0xff, 0x41, 0xc3])), d.decode(new Uint8Array([0xed, 0xa0, 0x80])).length, d.decode(new Uint8Array([0xf0, 0x9f, 0x98])).length]

// @probe unicode-textencoder-lone-surrogate
[...new TextEncoder().encode("\ud800x")]

// @probe unicode-identifiers
const ñ = 1, 变量 = 2, $ = 3, _ = 4, ℮ = 5; ñ + 变量 + $ + _ + ℮

// @probe date-iso
new Date().toISOString()

// @probe date-tostring-utc
[new Date().toString(), new Date(0).toUTCString(), new Date(0).toDateString(), new Date(0).toTimeString()]

// @probe date-timezone-offset
[new Date().getTimezoneOffset(), new Date(2024, 6, 1).getTimezoneOffset(), new Date(2024, 0, 1).getHours()]

// @probe date-parse-forms
[Date.parse("2024-02-29"), Date.parse("2024-02-29T12:00"), Date.parse("2024-02-29T12:00Z"), Date.parse("Thu, 01 Jan 1970 00:00:00 GMT"), Date.parse("nonsense")]

// @probe date-utc-components
[Date.UTC(2000, 0, 1), Date.UTC(2024, 1, 29, 23, 59, 59, 999), new Date(2000, 0, 1).getTime()]

// @probe date-setters
const d = new Date(0); d.setUTCFullYear(2030); d.setMonth(13); d.setDate(0); d.setHours(25); d.toISOString()

// @probe date-invalid
const d = new Date("garbage"); [isNaN(d), String(d), d.getTime(), JSON.stringify({d})]

// @probe date-day-of-week
[new Date(0).getDay(), new Date(Date.UTC(2024, 1, 29)).getUTCDay(), new Date(2023, 11, 31).getDay()]

// @probe date-extremes
[new Date(8.64e15).toISOString(), new Date(-8.64e15).toISOString(), new Date(8.64e15 + 1).getTime(), new Date(-1).toISOString()]

// @probe date-negative-years
[new Date(Date.UTC(-1, 0, 1)).toISOString(), new Date("-000001-01-01T00:00:00Z").getUTCFullYear(), new Date(Date.UTC(99, 0)).getUTCFullYear()]

// @probe date-locale-strings
[new Date(0).toLocaleString(), new Date(0).toLocaleDateString(), new Date(0).toLocaleTimeString()]

// @probe date-arithmetic
const a = new Date(Date.UTC(2024, 0, 31)); const b = new Date(a); b.setUTCMonth(1); [(b - a) / 86400000, b.toISOString().slice(0, 10)]

// @probe date-constructor-forms
[new Date(2020, 0).toISOString(), new Date("2020").toISOString(), new Date(2020, 5, 15, 10, 30).getUTCHours(), Date.length]

// @probe date-valueof-coercion
const d = new Date(1000); [d + 1, d - 1, `${d}`.slice(0, 3), d[Symbol.toPrimitive]("number")]

// @probe date-year-2038-and-leap
[new Date(2 ** 31 * 1000).toISOString(), new Date(Date.UTC(2100, 1, 29)).getUTCDate(), new Date(Date.UTC(2000, 1, 29)).getUTCDate()]

// @probe date-local-getters
const d = new Date(Date.UTC(2024, 6, 4, 23, 30)); [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]

// @probe globals-typeof
["print", "issueCommand", "setImmediate", "gc", "performance", "currentMeterLimit", "resetMeter", "TextEncoder", "TextDecoder", "Base64"].map(n => n + ":" + typeof globalThis[n])

// @probe globals-non-enumerable
["print", "setImmediate", "gc", "Base64"].map(n => { const d = Object.getOwnPropertyDescriptor(globalThis, n); return [d.enumerable, d.writable, d.configurable].join() })

// @probe globals-print-multiple
print("a", 1, null, undefined, {}, [1, 2], Symbol("s"))

// @probe globals-performance-now
[performance.now() === Date.now(), typeof performance.now()]

// @probe globals-base64-roundtrip
const bytes = new Uint8Array(256).map((_, i) => i); const s = Base64.encode(bytes.buffer); const back = new Uint8Array(Base64.decode(s)); [s.length, s.slice(0, 12), back.length, back.every((b, i) => b === i)]

// @probe globals-base64-padding
["", "f", "fo", "foo", "foob"].map(s => Base64.encode(s)).concat([new Uint8Array(Base64.decode("Zm9v YmE=!")).length])

// @probe globals-textdecoder-options
const d = new TextDecoder("UTF-8", {fatal: true}); let e; try { d.decode(new Uint8Array([0xff])) } catch (x) { e = x.name } [d.encoding, d.fatal, d.ignoreBOM, e]

// @probe globals-textdecoder-bom
[new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])), new TextDecoder("utf-8", {ignoreBOM: true}).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])).length]

// @probe globals-textencoder-encodeinto
const u = new Uint8Array(5); const r = new TextEncoder().encodeInto("a😀b", u); [r.read, r.written, [...u]]

// @probe globals-textdecoder-views
const b = new TextEncoder().encode("xyz"); [new TextDecoder().decode(b.buffer), new TextDecoder().decode(new DataView(b.buffer, 1)), new TextDecoder().decode()]

// @probe codecs-textencoder-host-matches-script
// Strings with U+0000 are encoded by the prelude's script, the others by the host: both must agree.
const enc = new TextEncoder(); const cases = ["", "a", "\ud800", "\udc00", "x\ud83dy", "\ud83d\ude00", "\udbff\udfff", "\uffff\ue000", "\u07ff\u0800", "\udc00\ud800"];
cases.map(s => { const h = [...enc.encode(s)]; const j = [...enc.encode(s + "\0")].slice(0, -1); return h.join() === j.join() ? h.length : ["differ", h, j]; })

// @probe codecs-textdecoder-invalid-sequences
const d = new TextDecoder(); const codes = (s) => [...s].map(c => c.codePointAt(0).toString(16));
[[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xf5, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xed, 0xa0, 0x80, 0x41], [0xe2, 0x82], [0xf0, 0x9f, 0x98, 0x80, 0xf0], [0x80, 0xbf, 0xc2], [0xef, 0xbf, 0xbf], [0x00, 0x41, 0x00]].map(b => codes(d.decode(new Uint8Array(b))).join(" "))

// @probe codecs-textdecoder-fatal-valid-and-invalid
const d = new TextDecoder("utf-8", { fatal: true }); const r = []; for (const b of [[0x41, 0xc3, 0xa9], [0xc3], [0xed, 0xbf, 0xbf], [0xf0, 0x90, 0x80, 0x80]]) { try { r.push(d.decode(new Uint8Array(b)).length) } catch (e) { r.push(e instanceof TypeError ? "TypeError" : e.name) } } r

// @probe codecs-base64-skips-and-stops
const n = (b) => [...new Uint8Array(b)].join(); [n(Base64.decode("Zm9v\u00e9YmE=Zg")), n(Base64.decode("Zm9v\u0000YmE")) === n(Base64.decode("Zm9vYmE")), n(Base64.decode("Q")), n(Base64.decode("QQ")), n(Base64.decode("QUI")), n(Base64.decode(" Q U J D \n")), Base64.encode("h\u00e9\ud83d\ude00")]

// @probe codecs-large-roundtrip
let s = ""; for (let i = 0; i < 20000; i++) s += String.fromCharCode(32 + (i * 7919) % 0x2fff) + (i % 97 === 0 ? "\ud83d\ude00" : ""); const b = new TextEncoder().encode(s); const back = new TextDecoder().decode(b); const b64 = Base64.encode(b.buffer); [b.length, back === s, b64.length, new Uint8Array(Base64.decode(b64)).every((x, i) => x === b[i])]

// @probe globals-issuecommand-errors
try { issueCommand() } catch (e) { [e.name, e.message] }

// @probe globals-resetmeter-errors
try { resetMeter(1) } catch (e) { [e.name, e.message] }

// @probe globals-setimmediate-nested
let depth = 0; function step() { if (++depth < 5) setImmediate(step); else print("depth", depth) } setImmediate(step)

// @probe globals-gc-function
[typeof gc, gc.length, gc()]

// @probe misc-eval-completion
eval("1; if (true) { 2 } else { 3 }")

// @probe misc-completion-var
var unusedCompletion = 5

// @probe misc-completion-undefined
undefined

// @probe misc-completion-function
(function named() {})

// @probe misc-completion-symbol
Symbol("s")

// @probe misc-completion-nested
({a: [1, "two", {three: null}], b: true, c: 1.5, d: -0})

// @probe misc-completion-string-escapes
"line\nbreak\t\"quoted\" \u0001"

// @probe misc-getter-completion
({get lazy() { return "computed" }})

// @probe misc-tostring-tags
[String(Math), String(JSON), String(Reflect), String(globalThis)]

// @probe misc-global-var-declaration
var declaredGlobal = 1; [Object.getOwnPropertyDescriptor(globalThis, "declaredGlobal").configurable, "declaredGlobal" in globalThis]

// @probe misc-let-not-global-property
let lexicalGlobal = 1; ["lexicalGlobal" in globalThis]

// @probe misc-string-to-number-edge
[Number("0b101"), Number("0o17"), Number("-0x1"), Number("Infinity"), Number("1_000"), Number(" \n42\t")]

// @probe misc-number-formatting-edge
[String(-0), (-0).toFixed(2), String(1e-7), String(123456789012345680000), (0.1).toFixed(20), (25).toString(36)]

// @probe misc-sort-comparator-inconsistent
[5, 1, 4, 2, 3].sort(() => 0)

// @probe misc-large-array-ops
const a = Array.from({length: 1000}, (_, i) => (i * 7919) % 1000); a.sort((x, y) => x - y); [a[0], a[999], a.indexOf(500), a.reduce((s, x) => s + x, 0)]

// @probe misc-string-building
let s = ""; for (let i = 0; i < 500; i++) s += String.fromCharCode(65 + (i % 26)); [s.length, s.slice(-5)]

// @probe misc-object-many-props
const o = {}; for (let i = 0; i < 300; i++) o["k" + ((i * 37) % 300)] = i; const k = Object.keys(o); [k.length, k.slice(0, 3), o.k0]

// @probe misc-closure-counter
const make = () => { let c = 0; return { inc: () => ++c, get: () => c } }; const a = make(), b = make(); a.inc(); a.inc(); b.inc(); [a.get(), b.get()]

// @probe misc-recursion-fib
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) } fib(20)

// @probe misc-tail-of-loop
let i = 0, sum = 0; while (true) { if (++i > 1000) break; if (i % 3) continue; sum += i } sum

// @probe misc-getter-setter-defineProperty-global
let backing = 0; Object.defineProperty(globalThis, "virtualGlobal", {get() { return ++backing }, configurable: true}); [virtualGlobal, virtualGlobal]

// @probe misc-symbol-unscopables
Object.keys(Array.prototype[Symbol.unscopables]).sort()

// @probe misc-array-species
class A2 extends Array { static get [Symbol.species]() { return Array } } const a = A2.from([1, 2]); [a.map(x => x).constructor === Array, a.constructor === A2]

// @probe misc-bound-function-name
function foo() {} const b = foo.bind(null).bind(null); [b.name, b.length]

// @probe misc-string-object
const s = new String("ab"); [typeof s, s.length, s[1], Object.keys(s), s instanceof String]

// @probe misc-frozen-array-push
(function () { "use strict"; const a = Object.freeze([1]); try { a.push(2) } catch (e) { return [e.name, e.message] } })()

// @probe misc-getownpropertynames-function
Object.getOwnPropertyNames(function f(a) {}).sort()

// @probe misc-date-in-json-roundtrip
const d = new Date(Date.UTC(2020, 1, 2, 3, 4, 5, 6)); new Date(JSON.parse(JSON.stringify(d))).getTime() === d.getTime()

// @probe misc-async-completion-value
(async () => 1)()

// @probe misc-math-random-after-probes
Math.random()

// @probe misc-error-in-setimmediate
setImmediate(() => { throw new Error("from immediate") }); "queued"

// @probe misc-after-immediate-error
"engine still usable"

// @probe misc-deep-recursion-ok
function d(n) { return n === 0 ? 0 : 1 + d(n - 1) } d(500)

// @probe misc-stack-overflow-then-continue
function inf() { return inf() } let caught; try { inf() } catch (e) { caught = e.name } [caught, [1, 2, 3].map(x => x * 2)]

// @probe misc-string-compare-sort
["b", "a", "C", "ä", "10", "9"].sort()

// @probe misc-number-keys-sorting
Object.keys({"4294967295": 1, "4294967294": 1, "1": 1, "-0": 1})

// @probe misc-sparse-array-large-index
const a = []; a[100] = 1; a[4294967294] = 2; [a.length, Object.keys(a).length]

// @probe misc-typeof-document
typeof document

// @probe misc-label-block-break
let r = "a"; blk: { r += "b"; break blk; r += "c" } r
