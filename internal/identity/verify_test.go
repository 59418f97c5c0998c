package identity_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/identity"
)

func TestTokenKeys(t *testing.T) {
	svc, clk := newService(t)
	ctx := context.Background()
	pool, client := articleSetup(t, svc, identity.ClientSettings{})
	keys := svc.TokenKeys()
	infos, err := svc.ListSigningKeys(ctx, pool.ID)
	if err != nil || len(infos) != 2 {
		t.Fatalf("keys %v, %v", infos, err)
	}
	kid := infos[0].KID

	issuers, key, active, err := keys.LocalPool(ctx, pool.ID, kid, client.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	wantIssuers := []string{"http://127.0.0.1:4566/" + pool.ID, "https://cognito-idp.us-east-1.amazonaws.com/" + pool.ID}
	if !slices.Equal(issuers, wantIssuers) || key == nil || !active {
		t.Fatalf("LocalPool = %v, %v, %v", issuers, key, active)
	}
	if issuersAgain, again, _, _ := keys.LocalPool(ctx, pool.ID, kid, client.ClientID); again != key || !slices.Equal(issuersAgain, wantIssuers) {
		t.Error("the public key was parsed again, or the issuers changed")
	}
	if _, key, active, _ := keys.LocalPool(ctx, pool.ID, "no-such-kid", "no-such-client"); key != nil || active {
		t.Errorf("unknown kid and client: key %v, active %v", key, active)
	}

	// A rotated-out key stays published until its retention ends.
	if _, err := svc.RotateSigningKeys(ctx, pool.ID); err != nil {
		t.Fatal(err)
	}
	if _, key, _, _ := keys.LocalPool(ctx, pool.ID, kid, client.ClientID); key == nil {
		t.Error("a rotated-out key is no longer published at once")
	}
	clk.Advance(24*time.Hour + 6*time.Minute)
	if _, key, _, _ := keys.LocalPool(ctx, pool.ID, kid, client.ClientID); key != nil {
		t.Error("a key past its retention is still published")
	}

	if err := svc.DeleteUserPoolClient(ctx, region, pool.ID, client.ClientID); err != nil {
		t.Fatal(err)
	}
	if _, _, active, _ := keys.LocalPool(ctx, pool.ID, kid, client.ClientID); active {
		t.Error("a deleted client is still active")
	}
	if err := svc.DeleteUserPool(ctx, region, pool.ID); err != nil {
		t.Fatal(err)
	}
	if issuers, _, _, err := keys.LocalPool(ctx, pool.ID, kid, client.ClientID); issuers != nil || err != nil {
		t.Errorf("deleted pool: issuers %v, err %v", issuers, err)
	}
}
