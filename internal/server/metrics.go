package server

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	// routes caches each route's series (route name -> *routeSeries), so
	// that a request costs no label hashing nor the vectors' locks.
	routes sync.Map
}

// routeSeries are one route's series: its latency histogram and its
// request counters by status code, looked up once and then kept.
type routeSeries struct {
	route   string
	latency prometheus.Observer
	codes   [maxCachedCode - minCachedCode]atomic.Pointer[prometheus.Counter]
}

// The status codes whose counters routeSeries keeps; any other code is
// looked up on each request.
const (
	minCachedCode = 100
	maxCachedCode = 600
)

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cognate_http_requests_total",
			Help: "HTTP requests served, by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "cognate_http_request_duration_seconds",
			Help:    "HTTP request latency, by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// forRoute returns route's series. Route names are a fixed set (see
// setRoute), so the cache stays small.
func (m *metrics) forRoute(route string) *routeSeries {
	if s, ok := m.routes.Load(route); ok {
		return s.(*routeSeries)
	}
	s, _ := m.routes.LoadOrStore(route, &routeSeries{route: route, latency: m.latency.WithLabelValues(route)})
	return s.(*routeSeries)
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.forRoute(route).observe(m, status, d)
}

// observe counts one request of the route.
func (s *routeSeries) observe(m *metrics, status int, d time.Duration) {
	s.counter(m, status).Inc()
	s.latency.Observe(d.Seconds())
}

func (s *routeSeries) counter(m *metrics, status int) prometheus.Counter {
	if status < minCachedCode || status >= maxCachedCode {
		return m.requests.WithLabelValues(s.route, strconv.Itoa(status))
	}
	slot := &s.codes[status-minCachedCode]
	if c := slot.Load(); c != nil {
		return *c
	}
	c := m.requests.WithLabelValues(s.route, strconv.Itoa(status))
	slot.Store(&c)
	return c
}
