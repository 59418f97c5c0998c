package main

import (
	"math/rand/v2"
	"testing"
	"time"
)

func ms1(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// seq returns the latencies 1ms, 2ms, ..., n ms in a shuffled order.
func seq(n int) []time.Duration {
	s := make([]time.Duration, n)
	for i := range s {
		s[i] = ms1(i + 1)
	}
	rand.Shuffle(n, func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s
}

func TestPercentileNearestRank(t *testing.T) {
	sorted100 := make([]time.Duration, 100)
	for i := range sorted100 {
		sorted100[i] = ms1(i + 1)
	}
	sorted1000 := make([]time.Duration, 1000)
	for i := range sorted1000 {
		sorted1000[i] = ms1(i + 1)
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"single p1", []time.Duration{ms1(7)}, 1, ms1(7)},
		{"single p99", []time.Duration{ms1(7)}, 99, ms1(7)},
		{"p0 is min", sorted100, 0, ms1(1)},
		{"p100 is max", sorted100, 100, ms1(100)},
		{"p50 of 100", sorted100, 50, ms1(50)},
		{"p90 of 100", sorted100, 90, ms1(90)},
		{"p99 of 100", sorted100, 99, ms1(99)},
		{"p99.9 of 1000 (no float overshoot)", sorted1000, 99.9, ms1(999)},
		{"p50 of 2 is the lower", []time.Duration{ms1(1), ms1(9)}, 50, ms1(1)},
		{"p51 of 2 is the upper", []time.Duration{ms1(1), ms1(9)}, 51, ms1(9)},
		{"p90 of 10", sorted100[:10], 90, ms1(9)},
		{"p99 of 10 is the max", sorted100[:10], 99, ms1(10)},
		{"p50 of 3 is the median", []time.Duration{ms1(1), ms1(2), ms1(30)}, 50, ms1(2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("Percentile(n=%d, %v) = %v, want %v", len(tt.sorted), tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	s := Summarize(seq(1000))
	want := Summary{Count: 1000, Mean: 500500 * time.Microsecond,
		P50: ms1(500), P90: ms1(900), P99: ms1(990), Max: ms1(1000)}
	if s != want {
		t.Errorf("Summarize(1..1000ms) = %+v, want %+v", s, want)
	}
	if z := Summarize(nil); z != (Summary{}) {
		t.Errorf("Summarize(nil) = %+v, want zero", z)
	}
}

// TestSummarizeOutlier checks that one slow request shows in max and, with
// 100 samples, not in p99 — the nearest-rank p99 of 100 is the 99th.
func TestSummarizeOutlier(t *testing.T) {
	samples := make([]time.Duration, 100)
	for i := range samples {
		samples[i] = ms1(1)
	}
	samples[37] = time.Second
	s := Summarize(samples)
	if s.P99 != ms1(1) || s.Max != time.Second {
		t.Errorf("p99 %v max %v, want 1ms and 1s", s.P99, s.Max)
	}
}
