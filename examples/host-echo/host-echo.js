// A vat that talks to another object: `vatParameters.host` is a presence the kernel gives it (in `vats run`,
// the built-in kernel's host object, whose `echo(x)` answers x). `ask(x)` sends `echo(x)` to the host and
// resolves, once the host's answer has come back in a later delivery, to what the host said.
import { E, Far } from '@endo/far';

export function buildRootObject(_vatPowers, vatParameters) {
  const { host } = vatParameters;
  let asked = 0;
  return Far('asker', {
    async ask(question) {
      asked += 1;
      const answer = await E(host).echo(question);
      return `host said: ${answer}`;
    },
    asked() {
      return asked;
    },
  });
}
