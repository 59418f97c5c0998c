// Package respond builds the answers API Gateway generates itself: the
// gateway responses (UNAUTHORIZED, MISSING_AUTHENTICATION_TOKEN,
// BAD_REQUEST_BODY, ...). It holds the built-in table of response types
// with their status, default message and x-amzn-ErrorType, resolves an
// API's own gateway responses over it (the type's own response, then the
// API's DEFAULT_4XX or DEFAULT_5XX, then the built-in), maps the
// responseParameters onto headers, and renders the body template with a
// small subset of VTL (see template.go).
//
// respond imports only internal/gateway/apimodel. It builds a Response
// value and never writes to the network; the gateway handler does.
//
// Reference: API Gateway's "Gateway response types" and "Set up gateway
// responses" pages, and ../shared/docs/APIGATEWAY.md §1.3 and §2. Tags in
// comments: [doc] documented by AWS, [obs] observed on AWS (LocalStack
// snapshots recorded against AWS), [emulator] what LocalStack does,
// [guess] inferred and still to be checked on AWS.
package respond
