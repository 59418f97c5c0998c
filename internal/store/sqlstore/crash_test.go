package sqlstore_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

// crashChildEnv makes the test binary act as the child of
// TestSQLiteKill9KeepsCommittedWrites.
const crashChildEnv = "SQLSTORE_CRASH_CHILD_DB"

// A process killed with SIGKILL, mid-write, loses nothing it was told was
// committed, and the database opens cleanly afterwards. (Power loss is
// covered by synchronous=FULL, which TestSQLitePragmas checks; a test
// cannot pull the plug.)
func TestSQLiteKill9KeepsCommittedWrites(t *testing.T) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "cognate.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSQLiteKill9KeepsCommittedWrites$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	committed := 0
	lines := bufio.NewScanner(out)
	for committed < 200 && lines.Scan() {
		if n, ok := strings.CutPrefix(lines.Text(), "committed "); ok {
			fmt.Sscan(n, &committed)
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if committed == 0 {
		t.Fatal("the child committed nothing before it was killed")
	}

	s, err := sqlstore.OpenSQLite(t.Context(), path)
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer s.Close()
	for i := 1; i <= committed; i++ {
		if _, err := s.GetClient(t.Context(), fmt.Sprintf("c%05d", i)); err != nil {
			t.Fatalf("client %d of %d committed before the kill: %v", i, committed, err)
		}
	}
	t.Logf("all %d committed writes survived kill -9", committed)
}

// crashChild creates clients until it is killed, printing the number of
// each one after its commit returns.
func crashChild(path string) {
	ctx := context.Background()
	s, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	now := time.Now().UTC()
	if err := s.CreatePool(ctx, store.Pool{ID: "p", Region: "r", CreatedAt: now, UpdatedAt: now}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for i := 1; ; i++ {
		c := store.Client{ID: fmt.Sprintf("c%05d", i), PoolID: "p", Settings: make([]byte, 512), CreatedAt: now, UpdatedAt: now}
		if err := s.CreateClient(ctx, c); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Printf("committed %d\n", i)
	}
}
