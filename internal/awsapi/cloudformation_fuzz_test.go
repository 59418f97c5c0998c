package awsapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
)

// FuzzDecodeCFNRequest feeds arbitrary bodies to the CloudFormation API's
// request decoding (everything before SigV4 and the engine), then reads
// the decoded form the way the actions do. It must never panic, and every
// failure must be a 400 client error with a code and a message that
// writes as a well-formed XML envelope. Seeds live in
// testdata/fuzz/FuzzDecodeCFNRequest.
func FuzzDecodeCFNRequest(f *testing.F) {
	for _, s := range []string{
		"Action=CreateStack&Version=2010-05-15&StackName=s&TemplateBody=Resources%3A%20%7B%7D&Parameters.member.1.ParameterKey=A&Parameters.member.1.ParameterValue=b&Capabilities.member.1=CAPABILITY_IAM&Tags.member.1.Key=k&Tags.member.1.Value=v",
		"Action=UpdateStack&Version=2010-05-15&StackName=s&UsePreviousTemplate=true&Parameters.member.2.ParameterKey=A&Parameters.member.2.UsePreviousValue=true",
		"Action=ListStacks&StackStatusFilter.member.1=CREATE_COMPLETE&StackStatusFilter.member.10000=X",
		"Action=DescribeStacks&StackName=arn%3Aaws%3Acloudformation%3Aus-east-1%3A000000000000%3Astack%2Fs%2Fid",
		"Action=ListStacks&StackStatusFilter.member.01=A",
		"Action=UpdateStack&DisableRollback=TRUE",
		"Action=ValidateTemplate&Version=2010-05-15",
		"Action=ValidateTemplate&TemplateBody=Parameters%3A%20%7BA%3A%20%7BDefault%3A%20%5B1%2C2%5D%2C%20NoEcho%3A%20true%7D%7D%0AResources%3A%20%7BR%3A%20%7BType%3A%20AWS%3A%3AIAM%3A%3ARole%7D%7D",
		"Action=%ZZ",
		"Version=2010-05-15",
		"",
	} {
		f.Add([]byte(s))
	}
	msgOK := regexp.MustCompile(`^<ErrorResponse xmlns="[^"]+"><Error><Type>Sender</Type><Code>[A-Za-z]+</Code><Message>[^<]*</Message></Error><RequestId>r</RequestId></ErrorResponse>$`)
	f.Fuzz(func(t *testing.T, body []byte) {
		name, form, err := decodeCFNRequest(body)
		if err != nil {
			if err.Status != http.StatusBadRequest || err.Code == "" || err.Message == "" {
				t.Fatalf("decodeCFNRequest(%q): %+v, want a 400 with a code and a message", body, err)
			}
			rec := httptest.NewRecorder()
			writeCFNError(rec, "r", toCFNError(err))
			if rec.Code != http.StatusBadRequest || !msgOK.MatchString(rec.Body.String()) {
				t.Fatalf("error answer %d %q", rec.Code, rec.Body.String())
			}
			return
		}
		if _, ok := cfnImplemented[name]; !ok {
			t.Fatalf("decodeCFNRequest(%q) accepted %q, which is not implemented", body, name)
		}
		// What the actions read; none may panic.
		_, _ = parameters(form, nil, true)
		_, _ = parameters(form, nil, false)
		_ = form.list("StackStatusFilter")
		_ = form.list("Capabilities")
		_, _ = templateBody(form)
		_, _ = stackName(form.get("StackName"))
		if name == "ValidateTemplate" {
			// Needs no engine; it reads the template itself.
			if _, err := (&CloudFormation{}).validateTemplate(context.Background(), testRegion, form); err != nil {
				if e := toCFNError(err); e.Status != http.StatusBadRequest {
					t.Fatalf("ValidateTemplate(%q): %v", body, err)
				}
			}
		}
	})
}
