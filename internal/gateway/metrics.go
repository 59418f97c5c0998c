package gateway

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the gateway's Prometheus counters; a nil *metrics (no
// registerer configured) records nothing.
type metrics struct {
	requests *prometheus.CounterVec
	denials  *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	if reg == nil {
		return nil
	}
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cognate_gateway_requests_total",
			Help: "Requests to deployed REST APIs, by API id, stage and status class (2xx, 4xx, ...).",
		}, []string{"api", "stage", "class"}),
		denials: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cognate_gateway_authorizer_denials_total",
			Help: "Requests a Cognito authorizer refused, by the check that failed.",
		}, []string{"reason"}),
	}
	reg.MustRegister(m.requests, m.denials)
	return m
}

// request counts one answered request. api and stage are "" for
// requests that named no deployed API or stage, so that arbitrary host
// names cannot grow the label set.
func (m *metrics) request(api, stage string, status int) {
	if m == nil {
		return
	}
	if api == "" {
		api = "unknown"
	}
	if stage == "" {
		stage = "unknown"
	}
	m.requests.WithLabelValues(api, stage, statusClass(status)).Inc()
}

// stageRequest counts one answered request of a deployed stage, through
// the counters the stage keeps, so that a request costs no label lookup
// once its status class has been seen.
func (m *metrics) stageRequest(e *stageEntry, api, stage string, status int) {
	if m == nil {
		return
	}
	i := statusClassIndex(status)
	slot := &e.requests[i]
	if c := slot.Load(); c != nil {
		(*c).Inc()
		return
	}
	c := m.requests.WithLabelValues(api, stage, statusClasses[i])
	slot.Store(&c)
	c.Inc()
}

// stageCounters are a stage's request counters by status class, filled
// as classes are seen.
type stageCounters [len(statusClasses)]atomic.Pointer[prometheus.Counter]

// statusClasses are the values of the class label, by statusClassIndex.
var statusClasses = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

func statusClassIndex(status int) int {
	switch {
	case status >= 500:
		return 4
	case status >= 400:
		return 3
	case status >= 300:
		return 2
	case status >= 200:
		return 1
	default:
		return 0
	}
}

// denial counts one authorizer denial.
func (m *metrics) denial(reason string) {
	if m == nil {
		return
	}
	m.denials.WithLabelValues(reason).Inc()
}

func statusClass(status int) string { return statusClasses[statusClassIndex(status)] }
