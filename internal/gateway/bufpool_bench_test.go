package gateway

import (
	"sync"
	"testing"
)

// oldBufferPool is bufferPool before it kept boxes: Put allocated one.
type oldBufferPool struct{ pool sync.Pool }

func (p *oldBufferPool) Get() []byte  { return *p.pool.Get().(*[]byte) }
func (p *oldBufferPool) Put(b []byte) { p.pool.Put(&b) }

// BenchmarkBufferPool compares bufferPool's Get and Put with the version
// whose Put allocated a box.
func BenchmarkBufferPool(b *testing.B) {
	b.Run("boxes", func(b *testing.B) {
		b.ReportAllocs()
		p := newBufferPool()
		for i := 0; i < b.N; i++ {
			p.Put(p.Get())
		}
	})
	b.Run("old", func(b *testing.B) {
		b.ReportAllocs()
		p := &oldBufferPool{pool: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}
		for i := 0; i < b.N; i++ {
			p.Put(p.Get())
		}
	})
}
