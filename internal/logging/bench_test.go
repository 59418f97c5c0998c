package logging

import (
	"context"
	"io"
	"log/slog"
	"testing"
)

// BenchmarkAccessRecord is the cost of one gateway access-log record
// (the attributes internal/gateway writes) through New's handler.
func BenchmarkAccessRecord(b *testing.B) {
	for _, format := range []string{"text", "json"} {
		b.Run(format, func(b *testing.B) {
			log, err := New(io.Discard, format, "info")
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				log.LogAttrs(ctx, slog.LevelInfo, "gateway request",
					slog.String("api", "a1b2c3d4e5"), slog.String("stage", "bench"), slog.String("method", "POST"),
					slog.String("path", "/echo"), slog.Int("status", 200), slog.Float64("latency_ms", 0.412),
					slog.String("resource_path", "/echo"), slog.String("client_id", "3n4b5urk1ft4fl3mg5e62d9ado"),
					slog.String("jti", "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"))
			}
		})
	}
}
