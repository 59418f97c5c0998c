// Package template reads CloudFormation and SAM templates, in YAML or
// JSON, into a tree of nodes that carry their line and column, so that
// every later problem (a Ref to nothing, a wrong property type) can point
// at the text that caused it.
//
// Reading follows what the AWS CLI and cfn-lint do before a template
// reaches CloudFormation: YAML is YAML 1.1 (unquoted yes, on and True are
// booleans; 017 is octal), the short-form tags (!Ref, !Sub, !GetAtt, ...)
// become their long forms ({"Ref": ...}, {"Fn::Sub": ...}), and anchors,
// aliases and merge keys are expanded. A key given twice, an unknown tag,
// and a document that is not a mapping are errors, each with its
// position, all reported together in an ErrorList. Template.Check adds
// the template anatomy's rules. Nothing is evaluated here: that is
// internal/stack/intrinsic's job.
//
// Specs: "Template anatomy" and "Intrinsic function reference" in the AWS
// CloudFormation User Guide (format version 2010-09-09); YAML 1.1 as
// PyYAML resolves it. The reader is compared with cfn-lint's loader
// (cfnlint.decode) in reader_compat_test.go.
//
// Imports: nothing from Cognate. It uses go.yaml.in/yaml/v3 for YAML and
// encoding/json's tokenizer for JSON.
package template
