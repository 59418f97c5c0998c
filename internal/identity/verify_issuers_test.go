package identity

import (
	"slices"
	"testing"
)

// TestPoolIssuers: the cached issuers are the two LocalPool documents, and
// the same slice on every call.
func TestPoolIssuers(t *testing.T) {
	k := &TokenKeys{svc: &Service{publicURL: "http://127.0.0.1:4566"}}
	const id = "eu-west-2_AbC123"
	want := []string{"http://127.0.0.1:4566/" + id, "https://cognito-idp.eu-west-2.amazonaws.com/" + id}
	got := k.poolIssuers(id)
	if !slices.Equal(got, want) {
		t.Fatalf("poolIssuers = %q, want %q", got, want)
	}
	if again := k.poolIssuers(id); &again[0] != &got[0] {
		t.Error("the issuers were computed again")
	}
}

// BenchmarkPoolIssuers compares the cached issuers with building them on
// every call, as LocalPool did.
func BenchmarkPoolIssuers(b *testing.B) {
	k := &TokenKeys{svc: &Service{publicURL: "http://127.0.0.1:4566"}}
	const id = "us-east-1_HYsU8EgOr"
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			k.poolIssuers(id)
		}
	})
	b.Run("built", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_ = []string{k.svc.publicURL + "/" + id, "https://cognito-idp." + regionOfPoolRe(id) + ".amazonaws.com/" + id}
		}
	})
}
