package sqlstore_test

import (
	"os"
	"strings"
	"testing"
)

// latestSchema returns the version a freshly migrated database of dialect
// ("sqlite" or "postgres") is at: the number of its migration files.
func latestSchema(t testing.TB, dialect string) int {
	t.Helper()
	entries, err := os.ReadDir("migrations/" + dialect)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			n++
		}
	}
	return n
}
