// Package awsapi is Cognate's AWS SDK wire adapter: it serves the AWS JSON
// 1.1 protocol (POST / with an X-Amz-Target header) and translates each
// call into a call on a domain service, and each domain error into the AWS
// error envelope ({"__type": ..., "message": ...} plus the
// x-amzn-ErrorType header).
//
// Today it serves the Amazon Cognito user pools API
// (AWSCognitoIdentityProviderService, cognito-idp 2016-04-18): user pools,
// their domains, resource servers and app clients; and the Parameter Store
// part of AWS Systems Manager (AmazonSSM, ssm 2014-11-06): parameters, their
// versions, labels and history. Both share one dispatch (jsonapi.go) and one
// codec (codec.go). It also serves the CloudFormation Query protocol
// (cloudformation 2010-05-15: a form body with Action=, XML answers) over
// the stack engine: create, update, delete and describe stacks, their
// resources, events and templates; cloudformation_errors.go maps its
// failures to the XML error envelope. Every operation that needs IAM credentials is checked
// with AWS Signature Version 4, and the region of a call is the region of
// its SigV4 credential scope.
//
// Wire structs (exact member names from the botocore model, timestamps as
// epoch seconds, members in Coral's alphabetical order) live only here;
// domain types carry no JSON tags for AWS shapes. One file, errors.go,
// decides what a client sees for every failure: domain kinds, SigV4 kinds
// and codec failures map to an AWS exception name and status there, and
// anything unknown becomes a 500 InternalErrorException whose detail goes
// to the log only.
//
// awsapi may import identity, ssm, stack, sigv4 and requestid; it never imports
// store or another adapter. It follows the botocore models cognito-idp
// 2016-04-18 and ssm 2014-11-06 (service-2.json), the AWS JSON 1.1
// protocol, and the wire facts in docs/COGNITO.md §3-4 and
// docs/APIGATEWAY.md §6 and §8. Facts marked [guess] in comments are
// inferred, not observed on real AWS.
package awsapi
