// Package validate is API Gateway's request validator for REST APIs: it
// checks that a method's required parameters are present and not blank,
// and that the request body matches the method's JSON Schema (draft 4)
// model for its content type. A failure names the gateway response type
// (BAD_REQUEST_PARAMETERS or BAD_REQUEST_BODY), the message AWS sends, and
// $context.error.validationErrorString worded as the Java
// json-schema-validator (fge) that API Gateway runs words it.
//
// Schemas are compiled once, by Compile, with
// github.com/santhosh-tekuri/jsonschema/v6; nothing is ever fetched: a
// reference outside the model document fails Compile.
//
// Known differences from fge, each rare in real models: a number written
// with a fraction, such as 1.0, passes "type": "integer" (fge calls it a
// number); patterns are RE2, so an ECMA 262 lookahead fails Compile; and
// type, enum and format beside a draft-4 $ref are checked (fge ignores
// every keyword beside $ref).
//
// validate imports only internal/gateway/apimodel (and the schema
// library).
//
// Reference: "Request validation for REST APIs in API Gateway" and
// ../shared/docs/APIGATEWAY.md §3. Tags in comments: [doc] documented by
// AWS, [obs] observed on AWS (LocalStack snapshots recorded against AWS,
// or captured AWS answers), [emulator] what LocalStack does, [guess]
// inferred and still to be checked on AWS.
package validate
