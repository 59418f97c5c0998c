package oauth

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics holds the package's Prometheus collectors.
type metrics struct {
	issued *prometheus.CounterVec
}

// newMetrics builds the collectors and registers them with reg (when not
// nil). A collector that reg already holds, from an earlier Handler on the
// same registry, is reused, so the count carries on.
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	issued := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cognate_tokens_issued_total",
		Help: "Tokens issued by the hosted-domain token endpoint, by grant type.",
	}, []string{"grant"})
	if reg != nil {
		if err := reg.Register(issued); err != nil {
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				return nil, fmt.Errorf("oauth: register metrics: %w", err)
			}
			existing, ok := are.ExistingCollector.(*prometheus.CounterVec)
			if !ok {
				return nil, fmt.Errorf("oauth: register metrics: cognate_tokens_issued_total is registered as %T", are.ExistingCollector)
			}
			issued = existing
		}
	}
	// Export zero for the grants Cognate issues, so dashboards and rate()
	// see the series before the first token.
	issued.WithLabelValues(grantTypeClientCredentials)
	return &metrics{issued: issued}, nil
}

// tokenIssued counts one token of a grant type.
func (m *metrics) tokenIssued(grantType string) {
	m.issued.WithLabelValues(grantType).Inc()
}
