package intrinsic

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestReferences(t *testing.T) {
	n := read(t, `
UserPoolId: !Ref Pool
Role: !GetAtt Role.Arn
RoleToo: {"Fn::GetAtt": "Role2.Arn"}
Computed: !GetAtt [Role3, !Ref AttrParam]
Env: !Ref Env
Region: !Ref AWS::Region
Text: !Sub "${Bucket}/${Fn.Arn}-${AWS::Region}-${Env}-${!Literal}-${Local}-${ Spaced }"
Mapped: !Sub ["${Local}", {Local: !Ref Queue}]
Chosen: !If [IsProd, !Ref ProdThing, !Ref AWS::NoValue]
Cond: !Not [!Condition Pool]
List: [!Join [",", [!GetAtt Nested.Outputs.Url]]]
`)
	isParam := func(name string) bool { return name == "Env" || name == "AttrParam" }
	var got []string
	for _, r := range References(n, "P", isParam) {
		got = append(got, fmt.Sprintf("%s %s.%s %v %s", r.Kind, r.LogicalID, r.Attribute, r.Pos, r.Path))
	}
	want := []string{
		"Ref Pool. 2:13 P/UserPoolId/Ref",
		"Fn::GetAtt Role.Arn 3:7 P/Role/Fn::GetAtt",
		"Fn::GetAtt Role2.Arn 4:10 P/RoleToo/Fn::GetAtt",
		"Fn::GetAtt Role3. 5:11 P/Computed/Fn::GetAtt",
		"Fn::Sub Bucket. 8:7 P/Text/Fn::Sub",
		"Fn::Sub Fn.Arn 8:7 P/Text/Fn::Sub",
		"Fn::Sub Local. 8:7 P/Text/Fn::Sub",
		"Fn::Sub Spaced. 8:7 P/Text/Fn::Sub",
		"Ref Queue. 9:35 P/Mapped/Fn::Sub/1/Local/Ref",
		"Ref ProdThing. 10:22 P/Chosen/Fn::If/1/Ref",
		"Fn::GetAtt Nested.Outputs.Url 12:21 P/List/0/Fn::Join/1/0/Fn::GetAtt",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	deps := Dependencies(n, isParam)
	wantDeps := []string{"Bucket", "Fn", "Local", "Nested", "Pool", "ProdThing", "Queue", "Role", "Role2", "Role3", "Spaced"}
	if !slices.Equal(deps, wantDeps) {
		t.Errorf("Dependencies = %v, want %v", deps, wantDeps)
	}
	if d := Dependencies(read(t, "plain: [1, 2]"), nil); d != nil {
		t.Errorf("Dependencies of plain values = %v", d)
	}
}
