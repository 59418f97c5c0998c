// Command cognate runs Cognate, the local and self-hosted reimplementation
// of the part of AWS that secures serverless APIs (Cognito user pools,
// their token endpoint and keys), and is the CLI that talks to a running
// server. `cognate up` serves; every other subcommand is a client of a
// server at --endpoint.
package main
