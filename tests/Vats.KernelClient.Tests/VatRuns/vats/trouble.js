// A vat for failure tests: a method that never returns, one that throws, one that answers with a large
// string, and one that makes a syscall the kernel refuses.
import { Far } from '@endo/far';

export function buildRootObject() {
  return Far('trouble', {
    spin() {
      for (;;) {
        // Burns fuel until the compute limit, a cancellation or a kill ends the worker.
      }
    },
    boom() {
      throw RangeError('boom');
    },
    big(n) {
      return 'x'.repeat(n);
    },
    ping() {
      return 'pong';
    },
  });
}
