package identity_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/cognatehq/cognate/internal/identity"
)

// TestCreateWithChosenID: a pool and a client created with an id drawn
// beforehand get exactly that id, in Cognito's formats; a taken,
// malformed or foreign-region id is refused and creates nothing.
func TestCreateWithChosenID(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()

	poolID := identity.NewPoolID(region)
	if !regexp.MustCompile(`^us-east-1_[A-Za-z0-9]{9}$`).MatchString(poolID) {
		t.Fatalf("NewPoolID = %q", poolID)
	}
	if other := identity.NewPoolID(region); other == poolID {
		t.Fatalf("NewPoolID returned %q twice", poolID)
	}
	pool, err := svc.CreateUserPoolWithID(ctx, region, poolID, identity.PoolSettings{PoolName: "chosen"})
	if err != nil {
		t.Fatal(err)
	}
	if pool.ID != poolID || pool.Arn != "arn:aws:cognito-idp:us-east-1:123456789012:userpool/"+poolID {
		t.Errorf("pool %s (%s), want id %s", pool.ID, pool.Arn, poolID)
	}
	if _, err := svc.DescribeUserPool(ctx, region, poolID); err != nil {
		t.Errorf("describe the chosen id: %v", err)
	}
	_, err = svc.CreateUserPoolWithID(ctx, region, poolID, identity.PoolSettings{PoolName: "again"})
	wantKind(t, err, identity.KindInvalidParameter, "already exists")
	_, err = svc.CreateUserPoolWithID(ctx, region, identity.NewPoolID("eu-west-1"), identity.PoolSettings{PoolName: "x"})
	wantKind(t, err, identity.KindInvalidParameter, "region us-east-1")
	_, err = svc.CreateUserPoolWithID(ctx, region, "not a pool id", identity.PoolSettings{PoolName: "x"})
	wantKind(t, err, identity.KindInvalidParameter, "userPoolId")
	if pools, _, err := svc.ListUserPools(ctx, region, "", 60); err != nil || len(pools) != 1 {
		t.Errorf("%d pools (%v), want only the first", len(pools), err)
	}

	clientID := identity.NewClientID()
	if !regexp.MustCompile(`^[a-z0-9]{26}$`).MatchString(clientID) {
		t.Fatalf("NewClientID = %q", clientID)
	}
	cl, err := svc.CreateUserPoolClientWithID(ctx, region, poolID, clientID, identity.ClientSettings{ClientName: "c"}, true, "")
	if err != nil {
		t.Fatal(err)
	}
	if cl.ClientID != clientID || cl.ClientSecret == "" {
		t.Errorf("client %s (secret %t), want id %s with a secret", cl.ClientID, cl.ClientSecret != "", clientID)
	}
	got, err := svc.DescribeUserPoolClient(ctx, region, poolID, clientID)
	if err != nil || got.ClientSecret != cl.ClientSecret {
		t.Errorf("describe the chosen client id: %v", err)
	}
	_, err = svc.CreateUserPoolClientWithID(ctx, region, poolID, clientID, identity.ClientSettings{ClientName: "d"}, false, "")
	wantKind(t, err, identity.KindInvalidParameter, "already exists")
	_, err = svc.CreateUserPoolClientWithID(ctx, region, poolID, "bad id!", identity.ClientSettings{ClientName: "d"}, false, "")
	wantKind(t, err, identity.KindInvalidParameter, "clientId")
	if cls, _, err := svc.ListUserPoolClients(ctx, region, poolID, "", 60); err != nil || len(cls) != 1 {
		t.Errorf("%d clients (%v), want only the first", len(cls), err)
	}
}
