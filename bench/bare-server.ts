// The baseline of bench/signed-read.ts: a bare Fastify app with one GET route that returns a fixed JSON body.
// Environment: BARE_PATH (the route), BARE_BODY (the JSON it returns). Listens on a free port on 127.0.0.1
// and prints `listening <port>` on stdout; stops on SIGTERM or SIGINT.
import Fastify from 'fastify';

const routePath = process.env.BARE_PATH ?? '/';
const body: unknown = JSON.parse(process.env.BARE_BODY ?? '{}');

const app = Fastify({ logger: false });
app.get(routePath, async () => body);

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
