package sqlstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// ErrLocked is returned (wrapped) by OpenSQLiteExclusive when another
// process has the database open exclusively.
var ErrLocked = fmt.Errorf("sqlstore: database is in use by another process")

// OpenSQLiteExclusive opens the SQLite database at path like OpenSQLite,
// and first takes an exclusive lock on the file path+".lock" that it holds
// until Close (the operating system drops it if the process dies, kill -9
// included). Being sure it is the database's only writer, the store then
// caches the token path's reads (GetGrantContext) and clears that cache on
// every write. A second process gets ErrLocked.
//
// On systems without file locks (lockFile reports it) the store opens
// without the lock and without the cache.
func OpenSQLiteExclusive(ctx context.Context, path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open sqlite %q: %w", path, err)
	}
	lockPath := abs + ".lock"
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open lock file: %w", err)
	}
	supported, err := lockFile(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %s is locked (stop the other cognate, or give this one another --data): %v", ErrLocked, lockPath, err)
	}
	s, err := OpenSQLite(ctx, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	s.unlock = f.Close // closing the file releases the lock
	if supported {
		s.grants = &grantCache{}
	}
	return s, nil
}
