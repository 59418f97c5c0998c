package logging

import (
	"io"
	"sync"
	"time"
)

// FlushEvery is how long a BufferedWriter holds what it was given at
// most.
const FlushEvery = 100 * time.Millisecond

// maxBuffered is how much a BufferedWriter holds before it writes at
// once.
const maxBuffered = 64 << 10

// BufferedWriter gathers log records and writes them to w in one write
// at most every FlushEvery, or sooner when maxBuffered is reached. A
// logger built by New over it flushes after every record at warn level
// or above, so a warning or error is never held back; info records (one
// per gateway request) wait at most FlushEvery. Unbuffered, writing one
// access-log line per request with its own write(2) cost about ten
// points of the gateway's throughput against a bare proxy
// (bench/gateway.sh at --log-level info, 2026-11-25).
//
// Close flushes and stops the background flush. A process that dies
// without Close (kill -9, a fatal runtime error) loses at most the last
// FlushEvery of info records.
type BufferedWriter struct {
	mu     sync.Mutex
	w      io.Writer
	buf    []byte
	closed bool
	stop   chan struct{}
	done   chan struct{}
}

// NewBufferedWriter returns a BufferedWriter over w, flushing every
// FlushEvery until Close.
func NewBufferedWriter(w io.Writer) *BufferedWriter {
	b := &BufferedWriter{w: w, stop: make(chan struct{}), done: make(chan struct{})}
	go b.loop()
	return b
}

func (b *BufferedWriter) loop() {
	defer close(b.done)
	t := time.NewTicker(FlushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			b.Flush()
		case <-b.stop:
			return
		}
	}
}

// Write holds p for the next flush; after Close it writes at once.
func (b *BufferedWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return b.w.Write(p)
	}
	b.buf = append(b.buf, p...)
	if len(b.buf) >= maxBuffered {
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush writes what is held.
func (b *BufferedWriter) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked()
}

func (b *BufferedWriter) flushLocked() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	if cap(b.buf) > 4*maxBuffered {
		b.buf = nil // a burst's buffer is not kept for ever
	} else {
		b.buf = b.buf[:0]
	}
	return err
}

// Close flushes and stops the background flush; later writes go to the
// underlying writer at once.
func (b *BufferedWriter) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	err := b.flushLocked()
	b.mu.Unlock()
	close(b.stop)
	<-b.done
	return err
}
