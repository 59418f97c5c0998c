package gateway

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
)

// TestInvalidate checks that the table is kept between requests and
// rebuilt on the first request after Invalidate.
func TestInvalidate(t *testing.T) {
	e := newEnv(t)
	if resp, _ := e.get("/open", ""); resp.StatusCode != 200 {
		t.Fatalf("got %d", resp.StatusCode)
	}
	calls := e.src.stageCalls.Load()

	// A redeploy without /open, not yet announced: still served.
	api := testAPI(e.up.srv.URL)
	api.Resources = api.Resources[:1]
	e.compiler.mu.Lock()
	e.compiler.apis["main"] = api
	e.compiler.mu.Unlock()
	if resp, _ := e.get("/open", ""); resp.StatusCode != 200 {
		t.Fatalf("table rebuilt without Invalidate: got %d", resp.StatusCode)
	}
	if e.src.stageCalls.Load() != calls {
		t.Fatal("the stages were read again without Invalidate")
	}
	e.gw.Invalidate()
	if resp, _ := e.get("/open", ""); resp.StatusCode != 403 {
		t.Fatalf("after Invalidate: got %d, want 403", resp.StatusCode)
	}
}

// TestInvalidateRebuildsOnce checks that concurrent requests after
// Invalidate wait for one rebuild.
func TestInvalidateRebuildsOnce(t *testing.T) {
	e := newEnv(t)
	e.get("/open", "")
	before := e.src.stageCalls.Load()
	e.gw.Invalidate()
	var wg sync.WaitGroup
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := e.srv.Client().Get(e.url("/open"))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("got %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	if n := e.src.stageCalls.Load() - before; n != 1 {
		t.Fatalf("stages read %d times for one Invalidate, want 1", n)
	}
}

// TestRunFollowsGeneration checks that a change made through another
// node (the generation moves) is served within a second.
func TestRunFollowsGeneration(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PollInterval = 10 * time.Millisecond })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.gw.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	if resp, _ := e.get("/open", ""); resp.StatusCode != 200 {
		t.Fatalf("got %d", resp.StatusCode)
	}
	e.src.set(2, Stage{APIID: "newapi0001", StageName: "dev", Variables: map[string]string{"env": "dev"},
		Definition: apimodel.Definition{RootResourceID: "main"}})
	deadline := time.Now().Add(time.Second)
	for {
		resp, _ := e.do(e.request("GET", "/open", "", nil))
		req := e.request("GET", "/open", "", nil)
		req.URL.Path = "/restapis/newapi0001/dev/_user_request_/open"
		resp2, _ := e.do(req)
		if resp.StatusCode == 404 && resp2.StatusCode == 200 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a second: old API %d (want 404), new API %d (want 200)", resp.StatusCode, resp2.StatusCode)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestStageThatDoesNotCompile checks that one broken stage answers 500
// and leaves the others working.
func TestStageThatDoesNotCompile(t *testing.T) {
	e := newEnv(t)
	good := Stage{APIID: testAPIID, StageName: testStage, Definition: apimodel.Definition{RootResourceID: "main"}}
	bad := Stage{APIID: testAPIID, StageName: "broken", DeploymentID: "d2", Definition: apimodel.Definition{RootResourceID: "nope"}}
	e.src.set(2, good, bad)
	e.gw.Invalidate()
	req := e.request("GET", "/open", "", nil)
	req.URL.Path = "/restapis/" + testAPIID + "/broken/_user_request_/open"
	resp, body := e.do(req)
	if resp.StatusCode != 500 || body != `{"message": "Internal server error"}` {
		t.Fatalf("broken stage: got %d %s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("x-cognate-reason"); !strings.HasPrefix(got, "stage_not_compiled: ") {
		t.Errorf("x-cognate-reason = %q", got)
	}
	if resp, _ := e.get("/open", ""); resp.StatusCode != 200 {
		t.Fatalf("good stage: got %d", resp.StatusCode)
	}
	if !strings.Contains(e.logs.String(), "stage does not compile") {
		t.Errorf("the broken stage was not logged: %s", e.logs.String())
	}
}

// TestSourceFailure checks that a store that cannot be read keeps the
// last table, and answers 500 when there is none.
func TestSourceFailure(t *testing.T) {
	e := newEnv(t)
	e.src.mu.Lock()
	e.src.err = errors.New("database is locked")
	e.src.mu.Unlock()
	resp, body := e.get("/open", "")
	if resp.StatusCode != 500 || body != `{"message": "Internal server error"}` {
		t.Fatalf("no table: got %d %s", resp.StatusCode, body)
	}
	e.src.mu.Lock()
	e.src.err = nil
	e.src.mu.Unlock()
	e.gw.Invalidate()
	if resp, _ := e.get("/open", ""); resp.StatusCode != 200 {
		t.Fatalf("store back: got %d", resp.StatusCode)
	}
	e.src.mu.Lock()
	e.src.err = errors.New("database is locked")
	e.src.mu.Unlock()
	e.gw.Invalidate()
	if resp, _ := e.get("/open", ""); resp.StatusCode != 200 {
		t.Fatalf("store failing again: got %d, want the last table's answer", resp.StatusCode)
	}
	before := e.src.stageCalls.Load()
	e.get("/open", "")
	if e.src.stageCalls.Load() != before {
		t.Error("a failing store is read on every request")
	}
}

// TestRunSurvivesStoreErrors checks that Run logs a failing store once
// and builds the table when the store is back.
func TestRunSurvivesStoreErrors(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PollInterval = 5 * time.Millisecond })
	e.src.mu.Lock()
	e.src.err = errors.New("connection refused")
	e.src.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.gw.Run(ctx) }()
	time.Sleep(50 * time.Millisecond)
	e.src.mu.Lock()
	e.src.err = nil
	e.src.mu.Unlock()
	deadline := time.Now().Add(time.Second)
	for e.gw.tables.cur.Load() == nil {
		if time.Now().After(deadline) {
			t.Fatal("Run did not build the table once the store was back")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := strings.Count(e.logs.String(), "refreshing the route table failed"); n != 1 {
		t.Errorf("the failing store was logged %d times, want once", n)
	}
}
