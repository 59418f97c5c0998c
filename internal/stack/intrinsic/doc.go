// Package intrinsic evaluates CloudFormation's intrinsic functions over a
// template read by internal/stack/template, and finds the resources a
// value refers to, from which the deployer builds its dependency graph.
//
// The Evaluator is pure: what a function reads (parameters, pseudo
// parameters, mappings, conditions, resources' Ref and GetAtt values,
// other stacks' exports) comes from a Context that the caller supplies.
// It evaluates Ref, Fn::Sub, Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split,
// Fn::If (removing AWS::NoValue properties and list items), Fn::Equals,
// Fn::And, Fn::Or, Fn::Not, Condition, Fn::FindInMap, Fn::Base64,
// Fn::ImportValue, Fn::GetAZs, Fn::Cidr, and, under the
// AWS::LanguageExtensions transform, Fn::ToJsonString, Fn::Length and
// Fn::FindInMap's DefaultValue. Problems carry the path to the value and
// its position, and one evaluation reports all of them.
//
// Spec: "Intrinsic function reference" and "Pseudo parameters reference"
// in the AWS CloudFormation User Guide.
//
// Imports: internal/stack/template only.
package intrinsic
