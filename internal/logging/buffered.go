package logging

import (
	"io"
	"sync"
	"time"
)

// FlushEvery is how long a BufferedWriter holds what it was given at
// most.
const FlushEvery = 100 * time.Millisecond

// flushAt is how much a BufferedWriter holds before it wakes its
// flusher early; maxHeld is how much it holds before a writer waits for
// the output (backpressure, when the output is slower than the logging).
const (
	flushAt = 64 << 10
	maxHeld = 1 << 20
)

// BufferedWriter gathers log records and writes them to w from its own
// goroutine, in one write at most every FlushEvery, or sooner once
// flushAt is held. A logger built by New over it flushes after every
// record at warn level or above, so a warning or error is never held
// back; info records (one per gateway request) wait at most FlushEvery.
// Unbuffered, writing one access-log line per request with its own
// write(2), in the request's goroutine, cost about ten points of the
// gateway's throughput against a bare proxy, and a slow output stalled
// every request behind it (bench/gateway.sh at --log-level info,
// 2026-11-25).
//
// Close writes what is held and stops the flusher. A process that dies
// without Close (kill -9, a fatal runtime error) loses at most the last
// FlushEvery of info records.
type BufferedWriter struct {
	mu     sync.Mutex // guards buf, spare and closed
	buf    []byte
	spare  []byte // the last buffer written, reused
	closed bool

	wmu sync.Mutex // serialises writes to w, in the order taken
	w   io.Writer

	kick      chan struct{} // wakes the flusher early
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// NewBufferedWriter returns a BufferedWriter over w, flushing every
// FlushEvery until Close.
func NewBufferedWriter(w io.Writer) *BufferedWriter {
	b := &BufferedWriter{w: w, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
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
		case <-b.kick:
		case <-b.stop:
			return
		}
		b.Flush()
	}
}

// Write holds p for the flusher; after Close it writes at once.
func (b *BufferedWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		b.wmu.Lock()
		defer b.wmu.Unlock()
		return b.w.Write(p)
	}
	b.buf = append(b.buf, p...)
	held := len(b.buf)
	b.mu.Unlock()
	switch {
	case held >= maxHeld:
		if err := b.Flush(); err != nil {
			return 0, err
		}
	case held >= flushAt:
		select {
		case b.kick <- struct{}{}:
		default:
		}
	}
	return len(p), nil
}

// Flush writes what is held. Records keep their order: the buffer is
// taken and written under the write lock.
func (b *BufferedWriter) Flush() error {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	b.mu.Lock()
	out := b.buf
	if len(out) == 0 {
		b.mu.Unlock()
		return nil
	}
	b.buf, b.spare = b.spare[:0], nil
	b.mu.Unlock()
	_, err := b.w.Write(out)
	if cap(out) <= 4*flushAt { // a burst's buffer is not kept for ever
		b.mu.Lock()
		b.spare = out[:0]
		b.mu.Unlock()
	}
	return err
}

// Close writes what is held and stops the flusher; later writes go to
// the underlying writer at once, after what was held.
func (b *BufferedWriter) Close() error {
	b.closeOnce.Do(func() {
		close(b.stop)
		<-b.done
	})
	b.wmu.Lock()
	defer b.wmu.Unlock()
	b.mu.Lock()
	b.closed = true
	out := b.buf
	b.buf = nil
	b.mu.Unlock()
	if len(out) == 0 {
		return nil
	}
	_, err := b.w.Write(out)
	return err
}
