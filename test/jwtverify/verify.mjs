// verify.mjs checks one Cognito access token with aws-jwt-verify, the way
// an API that trusts Cognito would. The Go end-to-end tests run it:
//
//   node verify.mjs <mode> <token> <jwks-json> <issuer> <client-id> <scope>
//
// mode "rsa": JwtRsaVerifier with the issuer and the served JWKS preloaded
// through cacheJwks (aws-jwt-verify fetches keys only over https).
// mode "cognito": CognitoJwtVerifier, which derives the issuer from the
// pool id as AWS's https://cognito-idp.{region}.amazonaws.com/{poolId};
// the server must run with --issuer-style aws. The issuer argument is
// then the pool id.
//
// It prints the verified payload as JSON and exits 0, or prints the error
// and exits 1.
import { CognitoJwtVerifier, JwtRsaVerifier } from "aws-jwt-verify";

const [mode, token, jwksJson, issuer, clientId, scope] = process.argv.slice(2);
const jwks = JSON.parse(jwksJson);

try {
  let verifier;
  if (mode === "rsa") {
    verifier = JwtRsaVerifier.create({
      issuer,
      jwksUri: issuer + "/.well-known/jwks.json",
      audience: null,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== "access") throw new Error("not an access token");
        if (payload.client_id !== clientId) throw new Error("wrong client_id");
      },
      scope,
    });
  } else if (mode === "cognito") {
    verifier = CognitoJwtVerifier.create({
      userPoolId: issuer,
      tokenUse: "access",
      clientId,
      scope,
    });
  } else {
    throw new Error("mode must be rsa or cognito");
  }
  verifier.cacheJwks(jwks);
  const payload = await verifier.verify(token);
  console.log(JSON.stringify(payload));
} catch (err) {
  // aws-jwt-verify's errors keep the name "Error"; their class says more
  // (JwtInvalidSignatureError, JwtExpiredError, ...).
  const name = err?.constructor?.name && err.constructor.name !== "Error" ? err.constructor.name : err?.name;
  console.error(`${name}: ${err?.message ?? err}`);
  process.exit(1);
}
