// Package requestid carries the request id of an HTTP request in its
// context, so the server, the wire adapters and the log records of one
// request agree on it. It is a leaf: it imports nothing from Cognate.
package requestid
