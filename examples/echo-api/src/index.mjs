// Echo handler for the example API: answers with what it was sent, and
// with the caller's client id and scopes from the Cognito authorizer.
export const handler = async (event) => {
  const claims = event.requestContext?.authorizer?.claims ?? {};
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      method: event.httpMethod,
      path: event.path,
      query: event.queryStringParameters ?? {},
      body: event.body ?? null,
      clientId: claims.client_id ?? null,
      scope: claims.scope ?? null,
    }),
  };
};
