package gateway

import (
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

// denial counts one authorizer denial.
func (m *metrics) denial(reason string) {
	if m == nil {
		return
	}
	m.denials.WithLabelValues(reason).Inc()
}

func statusClass(status int) string {
	switch {
	case status >= 500:
		return "5xx"
	case status >= 400:
		return "4xx"
	case status >= 300:
		return "3xx"
	case status >= 200:
		return "2xx"
	default:
		return "1xx"
	}
}
