// Package gateway serves the REST APIs of deployed stacks as API Gateway
// does: it finds the API and stage a request names (Target), matches the
// route, runs the Cognito authorizer, validates the request, and hands it
// to the integration (an HTTP upstream through a reverse proxy, a mock, or
// the upstream a Lambda function route was pointed at). Every answer it
// makes itself goes through respond.Render, so an API's gateway responses
// apply to it.
//
// The routes come from a table compiled from every deployed stage and
// swapped whole (table.go); it is rebuilt when the local node changes a
// stack (Invalidate) and when the store's generation moves (Run), so
// changes made through another node arrive within a second.
//
// It may import the gateway's own leaf packages (apimodel, route,
// authorizer, respond, validate), requestid and token; it sees the store
// only through the Source and Upstreams interfaces it declares, which
// internal/app adapts. The wire reference is APIGATEWAY.md §1–4.
package gateway
