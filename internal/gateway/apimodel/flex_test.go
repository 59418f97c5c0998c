package apimodel

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestFlexTypes(t *testing.T) {
	var v struct {
		S  flexString
		N  flexInt
		B  flexBool
		L  flexStrings
		L1 flexStrings
		O  orderedBools
	}
	in := `{"S": 600, "N": "29000", "B": "true", "L": ["a", 1], "L1": "arn", "O": {"z": true, "a": "false"}}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.S != "600" || v.N != 29000 || !bool(v.B) || !reflect.DeepEqual(v.L, flexStrings{"a", "1"}) || !reflect.DeepEqual(v.L1, flexStrings{"arn"}) {
		t.Errorf("decoded %+v", v)
	}
	if want := (orderedBools{{"z", true}, {"a", false}}); !reflect.DeepEqual(v.O, want) {
		t.Errorf("ordered = %+v, want %+v (declared order)", v.O, want)
	}
	for _, bad := range []string{`{"N": "ten"}`, `{"B": "yes"}`, `{"S": {}}`, `{"O": []}`, `{"O": {"a": 3}}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s decoded without error", bad)
		}
	}
}

func TestBodyAsString(t *testing.T) {
	doc := `{"swagger": "2.0", "paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "mock"}}}}}`
	quoted, _ := json.Marshal(doc)
	api, err := Compile(Definition{Body: quoted})
	if err != nil {
		t.Fatal(err)
	}
	method(t, api, "GET", "/a")
}
