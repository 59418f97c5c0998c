package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
)

// syncWriter is a bytes.Buffer safe for the printer's goroutine and the
// test's reads.
type syncWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// A deploy prints each resource's event while the deploy is still running,
// as sam deploy does, not only once it has returned; and each event once.
func TestEventPrinterFollowsARunningDeploy(t *testing.T) {
	var mu sync.Mutex
	var events []string // newest first, as DescribeStackEvents answers
	add := func(logicalID, status string) {
		mu.Lock()
		defer mu.Unlock()
		id := fmt.Sprintf("ev-%d", len(events))
		events = append([]string{fmt.Sprintf(`<member><EventId>%s</EventId><StackName>s</StackName><LogicalResourceId>%s</LogicalResourceId>`+
			`<ResourceType>AWS::SSM::Parameter</ResourceType><ResourceStatus>%s</ResourceStatus><Timestamp>2026-11-25T00:00:00Z</Timestamp></member>`,
			id, logicalID, status)}, events...)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		body := strings.Join(events, "")
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<DescribeStackEventsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStackEventsResult><StackEvents>%s</StackEvents></DescribeStackEventsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStackEventsResponse>`, body)
	}))
	defer srv.Close()
	c := cloudformation.New(cloudformation.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.AnonymousCredentials{}})

	out := &syncWriter{}
	p := &eventPrinter{out: out, seen: map[string]bool{}}
	stop := p.follow(context.Background(), c, "s", "")
	add("First", "CREATE_IN_PROGRESS")
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "First") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "CREATE_IN_PROGRESS  AWS::SSM::Parameter") {
		t.Fatalf("event not printed while the deploy runs:\n%s", out)
	}
	add("First", "CREATE_COMPLETE")
	stop()
	// The final read after the call returns prints what polling missed,
	// and nothing twice.
	all, err := stackEventsSince(context.Background(), c, "s", "")
	if err != nil {
		t.Fatal(err)
	}
	p.print(all)
	if n := strings.Count(out.String(), "CREATE_IN_PROGRESS"); n != 1 {
		t.Errorf("CREATE_IN_PROGRESS printed %d times:\n%s", n, out)
	}
	if !strings.Contains(out.String(), "CREATE_COMPLETE     AWS::SSM::Parameter") || strings.Count(out.String(), "LogicalResourceId") != 1 {
		t.Errorf("output:\n%s", out)
	}
}
