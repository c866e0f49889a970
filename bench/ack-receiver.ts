// The receiver of bench/callbacks.ts: acknowledges every POST at once (204) and counts what it got. `GET /count`
// answers `{"posts":n,"ids":m}` (m distinct `webhook-id`s). Listens on a free port on 127.0.0.1 and prints
// `listening <port>` on stdout; stops on SIGTERM or SIGINT.
import http from 'node:http';

let posts = 0;
const ids = new Set<string>();

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ posts, ids: ids.size }));
    return;
  }
  req.on('data', () => {});
  req.on('end', () => {
    posts++;
    const id = req.headers['webhook-id'];
    if (typeof id === 'string') ids.add(id);
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
