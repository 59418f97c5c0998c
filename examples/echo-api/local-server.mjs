// Serves the echo function (src/index.mjs) over plain HTTP, so Cognate's
// gateway can send the API's requests to it until Cognate runs Lambda
// functions itself:
//
//   node examples/echo-api/local-server.mjs            # listens on 127.0.0.1:3000
//   cognate deploy --stack-name echo-api --template-file examples/echo-api/template.yaml \
//       --upstream EchoFunction=http://127.0.0.1:3000
//
// The gateway forwards the request with the stage removed from the path and
// the authorizer's claims in the X-Cognate-Claims header (a JSON object of
// strings, as API Gateway gives them to a Lambda proxy integration); this
// server turns that into the small part of the Lambda proxy event the
// handler reads.
import { createServer } from 'node:http';
import { handler } from './src/index.mjs';

const port = Number(process.env.PORT ?? 3000);

createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const url = new URL(req.url, 'http://localhost');
  let claims;
  try {
    claims = req.headers['x-cognate-claims'] ? JSON.parse(req.headers['x-cognate-claims']) : undefined;
  } catch {
    claims = undefined;
  }
  const event = {
    httpMethod: req.method,
    path: url.pathname,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : null,
    headers: req.headers,
    body: chunks.length ? Buffer.concat(chunks).toString('utf8') : null,
    requestContext: claims ? { authorizer: { claims } } : {},
  };
  try {
    const out = await handler(event);
    res.writeHead(Number(out.statusCode ?? 200), out.headers ?? {});
    res.end(out.body ?? '');
  } catch (err) {
    console.error(err);
    res.writeHead(502, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: 'Internal server error' }));
  }
}).listen(port, '127.0.0.1', () => {
  console.log(`echo function on http://127.0.0.1:${port}`);
});
