// A misbehaving worker for the client's bad-input tests: it connects like vats-worker --socket PATH, then sends
// what the scenario named in FAKE_WORKER_SCENARIO says, and keeps the connection open until the client kills it.
import net from 'node:net';

const args = process.argv.slice(2);
const path = args[args.indexOf('--socket') + 1];
const scenario = process.env.FAKE_WORKER_SCENARIO;
const frame = (text) => Buffer.concat([Buffer.from(`${Buffer.byteLength(text)}:`), Buffer.from(text), Buffer.from(',')]);
const hello = (hash) => frame(`V${JSON.stringify({ protocol: 1, worker: '0.0.0-fake', quickjsSha256: hash, snapshotFormat: 1 })}`);

const socket = net.connect(path, () => {
  const hash = process.env.FAKE_WORKER_HASH;
  switch (scenario) {
    case 'no-hello':
      socket.write(frame('.'));
      break;
    case 'old-protocol':
      socket.write(frame(`V${JSON.stringify({ protocol: 99, worker: 'x', quickjsSha256: hash, snapshotFormat: 1 })}`));
      break;
    default:
      socket.write(hello(hash));
  }
  socket.on('data', () => {
    // Answers the first command.
    switch (scenario) {
      case 'malformed':
        socket.write('12x:,');
        break;
      case 'unknown-tag':
        socket.write(frame('Zsurprise'));
        break;
      case 'oversized':
        socket.write('20000000:.');
        break;
      case 'missing-comma':
        socket.write('2:.x;');
        break;
      case 'bad-meter':
        socket.write(frame('.{"compute":"lots"}\u0001'));
        break;
      case 'exit-3':
        process.exit(3);
        break;
      default:
        break;
    }
  });
});
setInterval(() => {}, 1000);
