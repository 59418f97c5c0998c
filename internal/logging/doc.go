// Package logging builds Cognate's one slog handler: JSON or text output,
// the request id of the context on every record, and redaction of any
// attribute whose key names a secret (tokens, passwords, client secrets,
// authorization headers), so a careless call site cannot leak one.
// Tokens are logged by jti only. BufferedWriter batches the output, so that
// a record per gateway request costs no write(2) of its own. It imports
// only requestid from Cognate.
package logging
