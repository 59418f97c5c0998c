// Package ssm is Cognate's Parameter Store domain: the parameters of AWS
// Systems Manager, with SSM's name rules and hierarchies, the three types
// (String, StringList, SecureString), versions (up to 100 kept), labels,
// tiers and value limits, AllowedPattern checks and per-region storage.
//
// It returns *Error values with a Kind and a client-facing message; it never
// chooses HTTP status codes or wire names (package awsapi maps kinds to
// SSM's exception names in its errors.go). SecureString values are sealed
// with package sealer before they reach the store, bound to their region,
// name and version, and opened only when a caller asks for decryption; no
// value is ever logged.
//
// ssm imports store and sealer, and never net/http.
//
// Reference: the AWS Systems Manager API (ssm 2014-11-06, botocore
// service-2.json), the Parameter Store user guide, and the wire facts in
// ../shared/docs/APIGATEWAY.md §6. Facts marked [guess] in comments are
// inferred, not observed on real AWS; [emulator] means copied from an AWS
// emulator (moto, LocalStack); [obs] means observed on AWS.
package ssm
