// Package identity is Cognate's user-pool domain: pools, domains, resource
// servers with scopes, app clients, signing keys and token issuance, with
// Amazon Cognito's validation rules, identifier formats and limits.
//
// It returns *Error values with a Kind and a client-facing message; it
// never chooses HTTP status codes or wire names (packages awsapi and oauth
// map kinds to their wire formats, each in one errors.go). It imports
// store, sealer and token, and never net/http.
//
// Reference: Amazon Cognito user pools API (cognito-idp 2016-04-18), the
// hosted-domain token endpoint, and ../shared/docs/COGNITO.md.
package identity
