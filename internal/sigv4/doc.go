// Package sigv4 verifies AWS Signature Version 4 requests on the server side.
//
// It accepts both forms a client can sign with: the Authorization header
// ("AWS4-HMAC-SHA256 Credential=AKID/yyyymmdd/region/service/aws4_request,
// SignedHeaders=a;b;c, Signature=hex") and the presigned query string
// (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
// X-Amz-SignedHeaders, X-Amz-Signature). A [Verifier] checks the shape of the
// request, the clock skew, the credential scope and, when it has a credential
// lookup, the signature itself; without a lookup it accepts any access key
// (loopback development mode) but still insists on a well-formed request.
// [ParseAuthorization] is the cheap path for callers that only need the scope.
//
// The expected signature is computed with aws-sdk-go-v2's signer
// (aws/signer/v4), fed a copy of the request that carries only the headers the
// client signed. A small hand-written canonical-request builder covers the
// few requests that signer cannot reproduce (see sign_manual.go).
//
// Errors are *[Error] values with a [Kind] and the message AWS sends. The
// package never chooses HTTP status codes or wire error names: each protocol
// adapter maps the Kind to its own envelope.
//
// sigv4 is a leaf: it imports nothing from Cognate, only the standard library
// and aws-sdk-go-v2. It follows the AWS Signature Version 4 specification
// ("Create a signed AWS API request" and "Elements of an AWS API request
// signature" in the IAM User Guide) and the wire facts recorded in the
// project's APIGATEWAY.md wire reference, section 8 "SigV4 verification".
// Message texts are tagged there and in errors.go as [doc], [obs] or [guess].
// Secrets, signing keys and session tokens never
// appear in an error message.
package sigv4
