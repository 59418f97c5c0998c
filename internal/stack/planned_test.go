package stack_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/provider"
)

// recordingPlanner wraps a provider that implements stack.PlannedID and
// records every PlannedID call and the Planned id every Create got.
type recordingPlanner struct {
	stack.Provider
	mu      *sync.Mutex
	planned *[]string
	created *[]string
}

func (r recordingPlanner) PlannedID(req stack.Request) string {
	id := r.Provider.(stack.PlannedID).PlannedID(req)
	r.mu.Lock()
	*r.planned = append(*r.planned, req.LogicalID+"="+id)
	r.mu.Unlock()
	return id
}

func (r recordingPlanner) Create(ctx context.Context, req stack.Request) (stack.Result, error) {
	r.mu.Lock()
	*r.created = append(*r.created, req.LogicalID+"="+req.Planned)
	r.mu.Unlock()
	return r.Provider.Create(ctx, req)
}

// LiveAttribute passes through to the wrapped provider (the client's
// ClientSecret).
func (r recordingPlanner) LiveAttribute(ctx context.Context, req stack.Request, id, name string) (string, bool, error) {
	if la, ok := r.Provider.(stack.LiveAttributes); ok {
		return la.LiveAttribute(ctx, req, id, name)
	}
	return "", false, nil
}

// TestPlannedIDsOfPoolsAndClients: the pool and client providers plan
// their ids; the engine asks once per creation (create or replacement),
// hands that id to Create, and the resource gets it.
func TestPlannedIDsOfPoolsAndClients(t *testing.T) {
	f := newFixture(t)
	var mu sync.Mutex
	var planned, created []string
	providers := provider.All(f.ids, f.params)
	for _, typ := range []string{"AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient"} {
		if _, ok := providers[typ].(stack.PlannedID); !ok {
			t.Fatalf("%s does not implement stack.PlannedID", typ)
		}
		providers[typ] = recordingPlanner{Provider: providers[typ], mu: &mu, planned: &planned, created: &created}
	}
	seal, err := sealer.New(bytes.Repeat([]byte{7}, sealer.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	f.eng = stack.New(stack.Config{Store: f.store, Sealer: seal, AccountID: account, Providers: providers,
		SSM: provider.SSMSource{Parameters: f.params}})

	clientID := deployArticle(t, f)
	pool := f.poolID()
	want := []string{"CognitoUserPool=" + pool, "CognitoTestAutomationClient=" + clientID}
	if !equalStrings(planned, want) || !equalStrings(created, want) {
		t.Fatalf("planned %v, created with %v; want both %v", planned, created, want)
	}

	// An in-place update plans nothing; a replacement plans the new id.
	planned, created = nil, nil
	f.mustDeploy("echo-api", strings.Replace(apiTemplate(t), "      GenerateSecret: true\n", "      ClientName: renamed\n      GenerateSecret: true\n", 1), nil)
	if len(planned) != 0 || len(created) != 0 {
		t.Fatalf("an in-place update planned %v, created %v", planned, created)
	}
	res := f.mustDeploy("echo-api", publicClient(apiTemplate(t)), nil)
	newID := output(res, "ClientId")
	want = []string{"CognitoTestAutomationClient=" + newID}
	if newID == clientID || !equalStrings(planned, want) || !equalStrings(created, want) {
		t.Fatalf("replacement: client %s (was %s), planned %v, created with %v", newID, clientID, planned, created)
	}
	if ids := f.resourceIDs("echo-api"); ids["CognitoTestAutomationClient"] != newID {
		t.Errorf("recorded client %s, want %s", ids["CognitoTestAutomationClient"], newID)
	}
}

// TestCrashAfterCreateLeavesNoOrphan: a crash right after a pool or a
// client was created, before the engine recorded it, leaves nothing
// behind once Recover has run: the journaled planned id names it. The
// replacement of a client is covered too (the original stays).
func TestCrashAfterCreateLeavesNoOrphan(t *testing.T) {
	ctx := context.Background()
	t.Run("Pool", func(t *testing.T) {
		f := newFixture(t)
		crashAt(t, f, "after-provider", "CognitoUserPool", "andmoredev-auth", authTemplate(t), nil)
		if n := f.pools(); n != 1 {
			t.Fatalf("%d pools before recovery, want the one the crash left", n)
		}
		f.open()
		if names, err := f.eng.Recover(ctx); err != nil || len(names) != 1 {
			t.Fatalf("Recover: %v %v", names, err)
		}
		if n := f.pools(); n != 0 {
			t.Errorf("%d pools left after recovery", n)
		}
		if s := f.status("andmoredev-auth"); s != stack.StatusRollbackComplete {
			t.Errorf("status %s", s)
		}
		f.mustDeploy("andmoredev-auth", authTemplate(t), nil)
	})
	t.Run("PoolAbandonedOnSharedStore", func(t *testing.T) {
		// The shared-store path: another node recovers it once idle.
		f := newFixture(t)
		crashAt(t, f, "after-provider", "CognitoUserPool", "andmoredev-auth", authTemplate(t), nil)
		seal, err := sealer.New(bytes.Repeat([]byte{7}, sealer.KeySize))
		if err != nil {
			t.Fatal(err)
		}
		other := stack.New(stack.Config{Store: f.store, Sealer: seal, AccountID: account, Providers: provider.All(f.ids, f.params),
			SSM: provider.SSMSource{Parameters: f.params}, Now: func() time.Time { return time.Now().Add(11 * time.Minute) }})
		if names, err := other.RecoverAbandoned(ctx, 10*time.Minute); err != nil || len(names) != 1 {
			t.Fatalf("RecoverAbandoned: %v %v", names, err)
		}
		if n := f.pools(); n != 0 {
			t.Errorf("%d pools left after recovery", n)
		}
	})
	t.Run("Client", func(t *testing.T) {
		f := newFixture(t)
		f.mustDeploy("andmoredev-auth", authTemplate(t), nil)
		crashAt(t, f, "after-provider", "CognitoTestAutomationClient", "echo-api", apiTemplate(t), nil)
		if cls, _, _ := f.ids.ListUserPoolClients(ctx, region, f.poolID(), "", 60); len(cls) != 1 {
			t.Fatalf("%d clients before recovery, want the one the crash left", len(cls))
		}
		f.open()
		if _, err := f.eng.Recover(ctx); err != nil {
			t.Fatal(err)
		}
		if cls, _, _ := f.ids.ListUserPoolClients(ctx, region, f.poolID(), "", 60); len(cls) != 0 {
			t.Errorf("%d clients left after recovery", len(cls))
		}
		if s := f.status("echo-api"); s != stack.StatusRollbackComplete {
			t.Errorf("status %s", s)
		}
	})
	t.Run("ClientReplacement", func(t *testing.T) {
		f := newFixture(t)
		clientID := deployArticle(t, f)
		crashAt(t, f, "after-provider", "CognitoTestAutomationClient", "echo-api", publicClient(apiTemplate(t)), nil)
		if cls, _, _ := f.ids.ListUserPoolClients(ctx, region, f.poolID(), "", 60); len(cls) != 2 {
			t.Fatalf("%d clients before recovery, want the original and the replacement", len(cls))
		}
		f.open()
		if _, err := f.eng.Recover(ctx); err != nil {
			t.Fatal(err)
		}
		cls, _, _ := f.ids.ListUserPoolClients(ctx, region, f.poolID(), "", 60)
		var ids []string
		for _, c := range cls {
			ids = append(ids, c.ClientID)
		}
		if len(ids) != 1 || ids[0] != clientID {
			t.Errorf("clients after recovery %v, want only %s", ids, clientID)
		}
		if s := f.status("echo-api"); s != stack.StatusUpdateRollbackComplete {
			t.Errorf("status %s", s)
		}
		if err := f.token(clientID, "echo-api/echo"); err != nil {
			t.Errorf("the original client lost its token: %v", err)
		}
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
