package intrinsic

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/stack/template"
)

func read(t testing.TB, src string) *template.Node {
	t.Helper()
	n, _, err := template.ReadValue([]byte(src))
	if err != nil {
		t.Fatalf("ReadValue(%q): %v", src, err)
	}
	return n
}

// testContext is a stack in us-east-1 with a few parameters, one mapping,
// two conditions and resources Pool, Bucket, Vpc, Vpc6 and Nested.
func testContext(t testing.TB) *Values {
	resources := map[string]string{"Pool": "us-east-1_AbC", "Bucket": "my-bucket", "Vpc": "vpc-1", "Vpc6": "vpc-6", "Nested": "arn:nested"}
	attrs := map[string]*template.Node{
		"Pool.Arn":                template.NewString("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC"),
		"Pool.ProviderName":       template.NewString("cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"),
		"Vpc.CidrBlock":           template.NewString("10.0.0.0/16"),
		"Vpc6.Ipv6CidrBlocks":     template.NewStringList([]string{"2001:db8:1234:1a00::/56"}),
		"Nested.Outputs.QueueUrl": template.NewString("https://sqs/queue"),
	}
	return &Values{
		PseudoParams: NewPseudo("123456789012", "us-east-1", "my-stack", "arn:aws:cloudformation:us-east-1:123456789012:stack/my-stack/0a1b"),
		Params: map[string]*template.Node{
			"Env":     template.NewString("prod"),
			"Subnets": template.NewStringList([]string{"subnet-1", "subnet-2"}),
			"Count":   template.NewString("2"),
			"Attr":    template.NewString("Arn"),
			"Empty":   template.NewString(""),
		},
		Mappings: read(t, `
RegionMap:
  us-east-1: {Ami: ami-123, Zones: [a, b]}
  eu-west-1: {Ami: ami-456}
`),
		Conditions: map[string]bool{"IsProd": true, "IsDev": false},
		RefFunc: func(id string) (*template.Node, error) {
			if v, ok := resources[id]; ok {
				return template.NewString(v), nil
			}
			return nil, fmt.Errorf("%w %q", ErrUnknown, id)
		},
		GetAttFunc: func(id, attr string) (*template.Node, error) {
			if _, ok := resources[id]; !ok {
				return nil, fmt.Errorf("%w %q", ErrUnknown, id)
			}
			if v, ok := attrs[id+"."+attr]; ok {
				return v, nil
			}
			return nil, fmt.Errorf("%s has no attribute %s", id, attr)
		},
		ImportFunc: func(name string) (*template.Node, error) {
			if name == "net-VpcId" {
				return template.NewString("vpc-imported"), nil
			}
			return nil, errors.New("no stack exports it")
		},
	}
}

type evalCase struct {
	name string
	src  string // YAML, evaluated as the value at path "V"
	want string // the result as JSON; "" when an error is expected
	err  string // every problem's Error(), joined by "\n"; a leading "~" matches a substring
	le   bool   // with AWS::LanguageExtensions
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t)
			got, errs := New(ctx, Options{LanguageExtensions: tc.le}).Eval(read(t, tc.src), "V")
			var msgs []string
			for _, e := range errs {
				msgs = append(msgs, e.Error())
			}
			gotErr := strings.Join(msgs, "\n")
			switch {
			case tc.err == "" && gotErr != "":
				t.Fatalf("unexpected problems:\n%s", gotErr)
			case strings.HasPrefix(tc.err, "~"):
				if !strings.Contains(gotErr, tc.err[1:]) {
					t.Fatalf("problems:\n%s\nwant one containing %q", gotErr, tc.err[1:])
				}
			case gotErr != tc.err:
				t.Fatalf("problems:\n%s\nwant:\n%s", gotErr, tc.err)
			}
			if tc.err != "" {
				if got != nil {
					t.Errorf("result %s alongside problems", got)
				}
				return
			}
			if s := got.String(); s != tc.want {
				t.Errorf("got  %s\nwant %s", s, tc.want)
			}
		})
	}
}

func TestRef(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "parameter", src: `!Ref Env`, want: `"prod"`},
		{name: "list parameter", src: `!Ref Subnets`, want: `["subnet-1","subnet-2"]`},
		{name: "resource", src: `!Ref Pool`, want: `"us-east-1_AbC"`},
		{name: "account", src: `!Ref AWS::AccountId`, want: `"123456789012"`},
		{name: "region", src: `!Ref AWS::Region`, want: `"us-east-1"`},
		{name: "stack name", src: `!Ref AWS::StackName`, want: `"my-stack"`},
		{name: "stack id", src: `!Ref AWS::StackId`, want: `"arn:aws:cloudformation:us-east-1:123456789012:stack/my-stack/0a1b"`},
		{name: "partition", src: `!Ref AWS::Partition`, want: `"aws"`},
		{name: "url suffix", src: `!Ref AWS::URLSuffix`, want: `"amazonaws.com"`},
		{name: "notification arns", src: `!Ref AWS::NotificationARNs`, want: `[]`},
		{name: "no value removes a key", src: "{A: 1, B: !Ref AWS::NoValue}", want: `{"A":1}`},
		{name: "no value removes a list item", src: "[a, !Ref AWS::NoValue, b]", want: `["a","b"]`},
		{name: "no value at the top", src: `!Ref AWS::NoValue`, want: `null`},
		{name: "long form", src: `{"Ref": "Bucket"}`, want: `"my-bucket"`},
		{name: "unknown name", src: "A: !Ref Nope", err: `1:4: V/A/Ref: Ref Nope: "Nope" is not a parameter, pseudo parameter or resource of this template`},
		{name: "unknown pseudo parameter", src: `!Ref AWS::Nope`, err: `1:1: V/Ref: unknown pseudo parameter AWS::Nope`},
		{name: "list argument", src: `{Ref: [a]}`, err: `1:1: V/Ref: Ref takes a parameter name or logical id as a string, not a list of 1`},
		{name: "function argument without extensions", src: `{Ref: !Sub "${Env}"}`, err: `~Ref takes a parameter name or logical id as a string, not the function Fn::Sub`},
		{name: "function argument with extensions", src: `{Ref: !Sub "Po${Empty}ol"}`, want: `"us-east-1_AbC"`, le: true},
	})
}

func TestSub(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "pseudo, parameter and resource", src: `!Sub "arn:${AWS::Partition}:s3:::${Bucket}/${Env}"`, want: `"arn:aws:s3:::my-bucket/prod"`},
		{name: "article parameter name", src: `!Sub /${AWS::StackName}/CognitoUserPoolId`, want: `"/my-stack/CognitoUserPoolId"`},
		{name: "attribute", src: `!Sub "${Pool.Arn}"`, want: `"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC"`},
		{name: "attribute with dots", src: `!Sub "${Nested.Outputs.QueueUrl}"`, want: `"https://sqs/queue"`},
		{name: "literal", src: `!Sub "${!Literal}-${!AWS::Region}"`, want: `"${Literal}-${AWS::Region}"`},
		{name: "spaces around a name", src: `!Sub "${ Env }"`, want: `"prod"`},
		{name: "unterminated stays", src: `!Sub "cost: ${5"`, want: `"cost: ${5"`},
		{name: "no variables", src: `!Sub plain`, want: `"plain"`},
		{name: "variable map", src: "!Sub\n  - ${Env}-${Name}-${Count}\n  - Name: !Ref Pool\n    Env: staging\n", want: `"staging-us-east-1_AbC-2"`},
		{name: "number and boolean variables", src: "!Sub [\"${A}/${B}\", {A: 5, B: true}]", want: `"5/true"`},
		{name: "multi-line", src: "!Sub |\n  region=${AWS::Region}\n  env=${Env}\n", want: `"region=us-east-1\nenv=prod\n"`},
		{name: "unknown variable", src: `!Sub "${Nope}-${AlsoNope}"`, err: "1:1: V/Fn::Sub: Ref Nope: \"Nope\" is not a parameter, pseudo parameter or resource of this template\n1:1: V/Fn::Sub: Ref AlsoNope: \"AlsoNope\" is not a parameter, pseudo parameter or resource of this template"},
		{name: "unknown attribute", src: `!Sub "${Pool.Nope}"`, err: `1:1: V/Fn::Sub: Fn::GetAtt Pool.Nope: Pool has no attribute Nope`},
		{name: "list variable", src: `!Sub "${Subnets}"`, err: `~Fn::Sub variable ${Subnets} is a list of 2`},
		{name: "empty variable", src: `!Sub "a${}b"`, err: `1:1: V/Fn::Sub: Fn::Sub has an empty variable ${}`},
		{name: "no value", src: `!Sub "${AWS::NoValue}"`, err: `~cannot use ${AWS::NoValue}`},
		{name: "wrong shape", src: `!Sub [a, b, c]`, err: `1:1: V/Fn::Sub: Fn::Sub takes a string or [string, {variables}], not a list of 3`},
		{name: "bad variable value", src: "!Sub [\"${A}\", {A: !Ref Nope}]", err: `~V/Fn::Sub/1/A/Ref: Ref Nope`},
	})
}

func TestGetAtt(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "short form", src: `!GetAtt Pool.Arn`, want: `"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC"`},
		{name: "list", src: `!GetAtt [Pool, ProviderName]`, want: `"cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC"`},
		{name: "dotted string in long form", src: `{"Fn::GetAtt": "Pool.Arn"}`, want: `"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC"`},
		{name: "computed attribute", src: `!GetAtt [Pool, !Ref Attr]`, want: `"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC"`},
		{name: "nested stack output", src: `!GetAtt Nested.Outputs.QueueUrl`, want: `"https://sqs/queue"`},
		{name: "list attribute", src: `!GetAtt Vpc6.Ipv6CidrBlocks`, want: `["2001:db8:1234:1a00::/56"]`},
		{name: "unknown resource", src: `!GetAtt Nope.Arn`, err: `1:1: V/Fn::GetAtt: Fn::GetAtt Nope.Arn: "Nope" is not a resource of this template`},
		{name: "parameter", src: `!GetAtt Env.Arn`, err: `1:1: V/Fn::GetAtt: Fn::GetAtt Env.Arn: Env is a parameter, not a resource`},
		{name: "unknown attribute", src: `!GetAtt Pool.Nope`, err: `1:1: V/Fn::GetAtt: Fn::GetAtt Pool.Nope: Pool has no attribute Nope`},
		{name: "no attribute", src: `!GetAtt Pool`, err: `1:1: V/Fn::GetAtt: Fn::GetAtt takes [logicalId, attribute], not a list of 1`},
		{name: "three items", src: `!GetAtt [A, B, C]`, err: `~not a list of 3`},
	})
}

func TestJoinSelectSplit(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "join", src: `!Join ["-", [a, !Ref Env, 3, true]]`, want: `"a-prod-3-true"`},
		{name: "join a list parameter", src: `!Join [",", !Ref Subnets]`, want: `"subnet-1,subnet-2"`},
		{name: "join skips no value", src: `!Join [",", [a, !If [IsDev, b, !Ref AWS::NoValue], c]]`, want: `"a,c"`},
		{name: "join empty", src: `!Join [",", []]`, want: `""`},
		{name: "join an object", src: `!Join [",", [a, {b: c}]]`, err: `1:17: V/Fn::Join/1/1: Fn::Join joins strings, not an object`},
		{name: "join arity", src: `!Join [","]`, err: `1:1: V/Fn::Join: Fn::Join takes a list of 2 values, not a list of 1`},
		{name: "join a string", src: `!Join [",", abc]`, err: `~Fn::Join's values must be a list, not a string`},
		{name: "select", src: `!Select [1, [a, b, c]]`, want: `"b"`},
		{name: "select with a string index", src: `!Select ["0", !Ref Subnets]`, want: `"subnet-1"`},
		{name: "select from GetAZs", src: `!Select [2, !GetAZs ""]`, want: `"us-east-1c"`},
		{name: "select an object", src: `!Select [0, [{a: !Ref Env}]]`, want: `{"a":"prod"}`},
		{name: "select out of range", src: `!Select [3, [a, b, c]]`, err: `1:1: V/Fn::Select: Fn::Select index 3 is out of range: the list has 3 items`},
		{name: "select negative", src: `!Select [-1, [a]]`, err: `~index -1 is out of range`},
		{name: "select non-integer", src: `!Select [one, [a]]`, err: `1:10: V/Fn::Select/0: Fn::Select's index must be a whole number, not "one"`},
		{name: "select from a string", src: `!Select [0, abc]`, err: `~Fn::Select's list must be a list, not a string`},
		{name: "split", src: `!Split [",", "a,b,,c"]`, want: `["a","b","","c"]`},
		{name: "split a join", src: `!Split [",", !Join [",", !Ref Subnets]]`, want: `["subnet-1","subnet-2"]`},
		{name: "split then select", src: `!Select [1, !Split ["/", !Ref AWS::StackId]]`, want: `"my-stack"`},
		{name: "split empty delimiter", src: `!Split ["", abc]`, err: `~Fn::Split's delimiter must not be empty`},
		{name: "split a list", src: `!Split [",", [a]]`, err: `~Fn::Split's source must be a string, not a list of 1`},
	})
}

func TestConditionFunctions(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "if true", src: `!If [IsProd, big, small]`, want: `"big"`},
		{name: "if false", src: `!If [IsDev, big, small]`, want: `"small"`},
		{name: "if removes a property", src: "{A: !If [IsDev, x, !Ref AWS::NoValue], B: 1}", want: `{"B":1}`},
		{name: "if evaluates only its branch", src: `!If [IsProd, ok, !Ref Nope]`, want: `"ok"`},
		{name: "if with objects", src: `!If [IsProd, {SubnetIds: !Ref Subnets}, !Ref AWS::NoValue]`, want: `{"SubnetIds":["subnet-1","subnet-2"]}`},
		{name: "if unknown condition", src: `!If [Nope, a, b]`, err: `1:6: V/Fn::If/0: Fn::If: no condition named "Nope" in Conditions`},
		{name: "if arity", src: `!If [IsProd, a]`, err: `1:1: V/Fn::If: Fn::If takes a list of 3 values, not a list of 2`},
		{name: "if condition not a name", src: `!If [[IsProd], a, b]`, err: `~Fn::If's first item names a condition by string, not a list of 1`},
		{name: "equals", src: `!Equals [!Ref Env, prod]`, want: `true`},
		{name: "equals number and string", src: `!Equals [2, !Ref Count]`, want: `true`},
		{name: "equals lists", src: `!Equals [!Ref Subnets, [subnet-1, subnet-2]]`, want: `true`},
		{name: "not equals", src: `!Equals [a, b]`, want: `false`},
		{name: "and", src: `!And [!Condition IsProd, !Equals [a, a]]`, want: `true`},
		{name: "and false", src: `!And [!Condition IsProd, !Condition IsDev]`, want: `false`},
		{name: "or", src: `!Or [!Condition IsDev, !Equals [a, a]]`, want: `true`},
		{name: "not", src: `!Not [!Condition IsDev]`, want: `true`},
		{name: "boolean operands", src: `!And [true, "true"]`, want: `true`},
		{name: "and of one", src: `!And [!Condition IsProd]`, err: `1:1: V/Fn::And: Fn::And takes a list of 2 to 10 values, not a list of 1`},
		{name: "or of eleven", src: `!Or [true, true, true, true, true, true, true, true, true, true, true]`, err: `~Fn::Or takes a list of 2 to 10 values, not a list of 11`},
		{name: "not of two", src: `!Not [true, false]`, err: `~Fn::Not takes a list of 1 values, not a list of 2`},
		{name: "unknown condition", src: `!Not [!Condition Nope]`, err: `1:7: V/Fn::Not/0/Condition: no condition named "Nope" in Conditions`},
		{name: "not a condition", src: `!Not [maybe]`, err: `~a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not, a Condition or a boolean, not a string ("maybe")`},
		{name: "equals arity", src: `!Equals [a]`, err: `~Fn::Equals takes a list of 2 values`},
		{name: "condition key as data", src: `{Condition: IsProd}`, want: `{"Condition":"IsProd"}`},
	})
}

func TestMappingsAndEncodings(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "find in map", src: `!FindInMap [RegionMap, !Ref AWS::Region, Ami]`, want: `"ami-123"`},
		{name: "find a list", src: `!FindInMap [RegionMap, us-east-1, Zones]`, want: `["a","b"]`},
		{name: "missing top key", src: `!FindInMap [RegionMap, ap-south-1, Ami]`, err: `1:1: V/Fn::FindInMap: Fn::FindInMap: mapping "RegionMap" has no key "ap-south-1"`},
		{name: "missing second key", src: `!FindInMap [RegionMap, eu-west-1, Zones]`, err: `1:1: V/Fn::FindInMap: Fn::FindInMap: mapping "RegionMap" has no key "Zones" under "eu-west-1"`},
		{name: "unknown map", src: `!FindInMap [Nope, a, b]`, err: `1:13: V/Fn::FindInMap/0: Fn::FindInMap: no mapping named "Nope" in Mappings`},
		{name: "default value", src: `!FindInMap [RegionMap, ap-south-1, Ami, {DefaultValue: !Ref Env}]`, want: `"prod"`, le: true},
		{name: "default unused", src: `!FindInMap [RegionMap, us-east-1, Ami, {DefaultValue: x}]`, want: `"ami-123"`, le: true},
		{name: "default without extensions", src: `!FindInMap [RegionMap, a, b, {DefaultValue: x}]`, err: `~Fn::FindInMap takes a list of 3 values, not a list of 4`},
		{name: "bad default", src: `!FindInMap [RegionMap, a, b, {Default: x}]`, err: `~fourth item must be {DefaultValue: value}`, le: true},
		{name: "base64", src: `!Base64 "hello"`, want: `"aGVsbG8="`},
		{name: "base64 of sub", src: `!Base64 {"Fn::Sub": "#!/bin/sh\necho ${Env}\n"}`, want: `"IyEvYmluL3NoCmVjaG8gcHJvZAo="`},
		{name: "base64 of a list", src: `!Base64 [a]`, err: `~Fn::Base64's value must be a string, not a list of 1`},
		{name: "import value", src: `!ImportValue net-VpcId`, want: `"vpc-imported"`},
		{name: "import value of sub", src: `!ImportValue {"Fn::Sub": "net-${!Literal}"}`, err: `1:1: V/Fn::ImportValue: Fn::ImportValue "net-${Literal}": no stack exports it`},
		{name: "get azs", src: `!GetAZs ""`, want: `["us-east-1a","us-east-1b","us-east-1c"]`},
		{name: "get azs of a region", src: `!GetAZs eu-west-1`, want: `["eu-west-1a","eu-west-1b","eu-west-1c"]`},
		{name: "get azs of ref region", src: `!GetAZs {Ref: AWS::Region}`, want: `["us-east-1a","us-east-1b","us-east-1c"]`},
	})
}

func TestCidr(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "documentation example", src: `!Cidr ["192.168.0.0/24", 6, 5]`, want: `["192.168.0.0/27","192.168.0.32/27","192.168.0.64/27","192.168.0.96/27","192.168.0.128/27","192.168.0.160/27"]`},
		{name: "from an attribute", src: `!Cidr [!GetAtt Vpc.CidrBlock, 3, 8]`, want: `["10.0.0.0/24","10.0.1.0/24","10.0.2.0/24"]`},
		{name: "string numbers", src: `!Cidr [10.0.0.0/16, "2", "12"]`, want: `["10.0.0.0/20","10.0.16.0/20"]`},
		{name: "address not at the block start", src: `!Cidr [10.0.5.7/16, 1, 8]`, want: `["10.0.0.0/24"]`},
		{name: "every block", src: `!Cidr [10.0.0.0/30, 4, 0]`, err: `~Fn::Cidr's cidrBits must be between 1 and 2 (the host bits of 10.0.0.0/30), not 0`},
		{name: "the whole block", src: `!Cidr [10.0.0.0/24, 1, 8]`, want: `["10.0.0.0/24"]`},
		{name: "ipv6", src: `!Cidr [!Select [0, !GetAtt Vpc6.Ipv6CidrBlocks], 3, 64]`, want: `["2001:db8:1234:1a00::/64","2001:db8:1234:1a01::/64","2001:db8:1234:1a02::/64"]`},
		{name: "too many blocks", src: `!Cidr [10.0.0.0/24, 3, 7]`, err: `1:1: V/Fn::Cidr: Fn::Cidr: 10.0.0.0/24 holds only 2 blocks of 7 host bits, not 3`},
		{name: "too many bits", src: `!Cidr [10.0.0.0/24, 1, 9]`, err: `~cidrBits must be between 1 and 8 (the host bits of 10.0.0.0/24), not 9`},
		{name: "count zero", src: `!Cidr [10.0.0.0/16, 0, 8]`, err: `~Fn::Cidr's count must be between 1 and 256, not 0`},
		{name: "count too big", src: `!Cidr [10.0.0.0/8, 257, 8]`, err: `~Fn::Cidr's count must be between 1 and 256, not 257`},
		{name: "not a block", src: `!Cidr [10.0.0.0, 1, 8]`, err: `1:8: V/Fn::Cidr/0: Fn::Cidr's ipBlock "10.0.0.0" is not a CIDR block`},
		{name: "arity", src: `!Cidr [10.0.0.0/16, 1]`, err: `~Fn::Cidr takes a list of 3 values, not a list of 2`},
	})
}

func TestLanguageExtensions(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "to json string", src: "!ToJsonString {env: !Ref Env, n: 1, ok: true, list: !Ref Subnets, html: \"<a&b>\"}", want: `"{\"env\":\"prod\",\"n\":1,\"ok\":true,\"list\":[\"subnet-1\",\"subnet-2\"],\"html\":\"<a&b>\"}"`, le: true},
		{name: "to json string of a list", src: `!ToJsonString [a, !If [IsDev, b, !Ref AWS::NoValue]]`, want: `"[\"a\"]"`, le: true},
		{name: "to json string of a string", src: `!ToJsonString abc`, err: `~Fn::ToJsonString takes an object or a list, not a string`, le: true},
		{name: "to json string without extensions", src: `!ToJsonString {a: 1}`, err: `1:1: V/Fn::ToJsonString: Fn::ToJsonString needs the AWS::LanguageExtensions transform`},
		{name: "length", src: `!Length [a, b, c]`, want: `3`, le: true},
		{name: "length of a parameter", src: `!Length {Ref: Subnets}`, want: `2`, le: true},
		{name: "length of a string", src: `!Length abc`, err: `~Fn::Length's argument must be a list, not a string`, le: true},
		{name: "length without extensions", src: `!Length [a]`, err: `~Fn::Length needs the AWS::LanguageExtensions transform`},
	})
}

func TestEvalProblems(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "unknown function", src: `{"Fn::Nope": [a]}`, err: `1:1: V/Fn::Nope: unknown intrinsic function Fn::Nope`},
		{name: "transform is not evaluated", src: "!Transform {Name: AWS::Include}", err: `~Fn::Transform is expanded by the transform step`},
		{name: "function beside other keys", src: `{"Fn::Sub": "x", "Other": 1}`, err: `1:2: V/Fn::Sub: Fn::Sub must be the only key of its object`},
		{
			name: "every problem in one pass",
			src:  "A: !Ref Nope\nB: !Select [5, [a]]\nC: !Sub \"${Missing}\"\nD: [ok, !GetAtt Pool.Nope]\nE: !Join [\",\", [!Ref AlsoNope, !Ref Nope2]]\n",
			err: strings.Join([]string{
				`1:4: V/A/Ref: Ref Nope: "Nope" is not a parameter, pseudo parameter or resource of this template`,
				`2:4: V/B/Fn::Select: Fn::Select index 5 is out of range: the list has 1 items`,
				`3:4: V/C/Fn::Sub: Ref Missing: "Missing" is not a parameter, pseudo parameter or resource of this template`,
				`4:9: V/D/1/Fn::GetAtt: Fn::GetAtt Pool.Nope: Pool has no attribute Nope`,
				`5:17: V/E/Fn::Join/1/0/Ref: Ref AlsoNope: "AlsoNope" is not a parameter, pseudo parameter or resource of this template`,
				`5:32: V/E/Fn::Join/1/1/Ref: Ref Nope2: "Nope2" is not a parameter, pseudo parameter or resource of this template`,
			}, "\n"),
		},
		{name: "plain values are copied", src: "{a: [1, 2.5, true, null, x]}", want: `{"a":[1,2.5,true,null,"x"]}`},
	})
}

// TestEvalDoesNotChangeInput checks the input tree is left as it was.
func TestEvalDoesNotChangeInput(t *testing.T) {
	n := read(t, "{A: !Ref Env, B: [!If [IsDev, x, !Ref AWS::NoValue]], C: !FindInMap [RegionMap, us-east-1, Zones]}")
	before := n.String()
	got, errs := New(testContext(t), Options{}).Eval(n, "")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got.Get("C").Items[0].Value = "changed"
	if n.String() != before {
		t.Errorf("input changed:\n%s\n%s", before, n)
	}
	if testContext(t).Mappings.Get("RegionMap").Get("us-east-1").Get("Zones").Items[0].Value != "a" {
		t.Error("result shares nodes with the mapping")
	}
}

func TestEvalConditions(t *testing.T) {
	ctx := testContext(t)
	section := read(t, `
IsProduction: !Equals [!Ref Env, prod]
IsStaging: !Equals [!Ref Env, staging]
NotProduction: !Not [!Condition IsProduction]
Either: !Or [!Condition IsProduction, !Condition IsStaging]
Later: !And [!Condition Either, !Condition Defined]
Defined: !Equals [!FindInMap [RegionMap, !Ref "AWS::Region", Ami], ami-123]
`)
	got, errs := EvalConditions(section, ctx, Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := map[string]bool{"IsProduction": true, "IsStaging": false, "NotProduction": false, "Either": true, "Later": true, "Defined": true}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d conditions, want %d", len(got), len(want))
	}

	_, errs = EvalConditions(read(t, `
A: !And [!Condition B, true]
B: !Not [!Condition C]
C: !Or [!Condition A, false]
D: !Condition Nope
E: !Ref Env
`), ctx, Options{})
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	wantErrs := []string{
		`2:1: Conditions/A: conditions refer to each other in a cycle: A -> B -> C -> A`,
		`5:4: Conditions/D/Condition: no condition named "Nope" in Conditions`,
		`6:4: Conditions/E: a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not, a Condition or a boolean, not a string ("prod")`,
	}
	if strings.Join(msgs, "\n") != strings.Join(wantErrs, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(wantErrs, "\n"))
	}
}

func TestNewPseudo(t *testing.T) {
	for _, tc := range []struct{ region, partition, suffix string }{
		{"us-east-1", "aws", "amazonaws.com"},
		{"cn-north-1", "aws-cn", "amazonaws.com.cn"},
		{"us-gov-west-1", "aws-us-gov", "amazonaws.com"},
		{"us-iso-east-1", "aws-iso", "c2s.ic.gov"},
		{"us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov"},
	} {
		p := NewPseudo("1", tc.region, "s", "id")
		if p.Partition != tc.partition || p.URLSuffix != tc.suffix {
			t.Errorf("%s: %s %s, want %s %s", tc.region, p.Partition, p.URLSuffix, tc.partition, tc.suffix)
		}
	}
}
