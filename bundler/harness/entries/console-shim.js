// A minimal console for hosts that have only a `print` function (as XS workers do);
// where a console already exists it is left alone.
const host = globalThis;
if (typeof host.console === 'undefined') {
  const print = typeof host.print === 'function' ? host.print : () => {};
  const log = (...args) => print(args.map(String).join(' '));
  host.console = { log, info: log, warn: log, error: log, debug: log };
}
