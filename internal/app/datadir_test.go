package app_test

import (
	"strings"
	"testing"

	"github.com/cognatehq/cognate/internal/config"
)

// A second server on a data dir in use is refused with a message that
// says what to do: two processes on one SQLite store would each cache
// token reads the other could invalidate.
func TestSecondServerOnSameDataDirIsRefused(t *testing.T) {
	first := startNode(t, nil)
	_, err := launchNode(t, func(c *config.Config) { c.DataDir = first.Cfg.DataDir })
	if err == nil || !strings.Contains(err.Error(), "in use by another cognate process") || !strings.Contains(err.Error(), "--data") {
		t.Fatalf("second server on %s: %v", first.Cfg.DataDir, err)
	}
}
