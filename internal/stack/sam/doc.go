// Package sam expands the AWS::Serverless-2016-10-31 transform (and the
// AWS::Include snippets a template pulls in) over a template tree,
// producing the plain CloudFormation template that aws-sam-translator
// would hand to CloudFormation. Transform is a pure function of the tree
// and its Options: no store, no network, no clock; included files come
// through the loader the caller passes in (DirLoader reads them relative
// to the template's directory).
//
// What it expands:
//   - Globals: the Function and Api sections, with SAM's merge rules
//     (mappings merge key by key with local keys winning, lists
//     concatenate global-then-local, anything else local wins).
//   - AWS::Serverless::Function → AWS::Lambda::Function (CodeUri or
//     InlineCode, Handler, Runtime, Environment, Timeout, MemorySize,
//     Architectures, Layers, Tags and the other Lambda properties of the
//     same name), the execution AWS::IAM::Role when no Role is given (with
//     Policies given as ARNs, intrinsics or policy documents), and one
//     AWS::Lambda::Permission per Api event.
//   - AWS::Serverless::Api and the implicit ServerlessRestApi →
//     AWS::ApiGateway::RestApi with a Swagger 2.0 Body,
//     AWS::ApiGateway::Deployment and AWS::ApiGateway::Stage: routes from
//     Api events, Cognito user-pool authorizers (securityDefinitions and
//     per-method security with scopes, DefaultAuthorizer, NONE,
//     AddDefaultAuthorizerToCorsPreflight), Cors, GatewayResponses,
//     BinaryMediaTypes, EndpointConfiguration, OpenApiVersion 2.x (which
//     drops the Deployment's stray "Stage" stage), DefinitionBody (inline
//     or through AWS::Include) and DefinitionUri (a local file), Models
//     (Swagger definitions under the lower-cased model name). Api events
//     may carry RequestModel (a body parameter and SAM's body-only,
//     params-only, body-and-params or no-validation request validator)
//     and RequestParameters (query, header and path parameters, cached
//     ones in the integration's cacheKeyParameters). Api events
//     add routes only to a body SAM generates; a DefinitionBody the user
//     wrote keeps its own paths, as in aws-sam-translator.
//
// Everything else of SAM (other AWS::Serverless::* types, other event
// types, Lambda and AWS_IAM authorizers, OpenApiVersion 3.x and OpenAPI 3
// bodies, managed policy names, policy templates, Api events on a function
// with a Condition, other properties) is reported as "not supported yet",
// naming the logical id and property; nothing is dropped silently.
// Resources of any other type pass through unchanged. A template without
// the Serverless transform only has its AWS::Include snippets expanded.
//
// Differences from aws-sam-translator, on purpose:
//   - The Deployment's logical id suffix and Description hash the Body's
//     canonical JSON with SHA-1. SAM hashes Python's str() of its dict,
//     which depends on its internal key order and string types and cannot
//     be reproduced portably. The id still changes exactly when the Body
//     changes, which is what the suffix is for.
//   - A local CodeUri (not s3://) becomes Code {S3Bucket: "cognate-local",
//     S3Key: <path>} (Options.LocalCodeBucket), where `sam deploy` would
//     upload the directory first and write its s3:// location.
//   - Refs to template parameters stay Refs for the evaluator to resolve;
//     the offline translator substitutes a parameter's Default in a few
//     places (authorizer providerARNs).
//   - A RequestParameters entry mapping more than one name is refused;
//     SAM silently keeps only the first.
//   - DefinitionUri names a local file whose content becomes the Body
//     unchanged (SAM would get an S3 location and emit BodyS3Location).
//
// Spec: the AWS SAM specification (resource and Globals reference), with
// aws-sam-translator 1.110 as the oracle: oracle_test.go runs it on every
// testdata template and compares whole templates.
//
// Imports: internal/stack/template for the node tree and its ErrorList.
package sam
