package logging

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the flusher and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	n   int // writes
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// TestBufferedWriter checks that info records are batched and written
// within FlushEvery, that a warning is written at once with what came
// before it, and that Close writes the rest.
func TestBufferedWriter(t *testing.T) {
	var out syncBuffer
	bw := NewBufferedWriter(&out)
	log, err := New(bw, "json", "info")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		log.Info("gateway request", "i", i)
	}
	deadline := time.Now().Add(2 * time.Second)
	for strings.Count(out.String(), "gateway request") < 50 {
		if time.Now().After(deadline) {
			t.Fatalf("info records not written within 2 s: %q", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	out.mu.Lock()
	writes := out.n
	out.mu.Unlock()
	if writes > 5 {
		t.Errorf("50 records took %d writes; want them batched", writes)
	}

	log.Info("before the warning")
	log.Warn("something to fix")
	if s := out.String(); !strings.Contains(s, "before the warning") || !strings.Contains(s, "something to fix") {
		t.Errorf("a warning was held back, or what came before it: %q", s)
	}
	log.Info("last words")
	if err := bw.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "last words") {
		t.Error("Close did not flush")
	}
	log.Info("after close")
	if !strings.Contains(out.String(), "after close") {
		t.Error("a record after Close was not written at once")
	}
	if err := bw.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
