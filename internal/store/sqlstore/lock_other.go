//go:build !unix

package sqlstore

import "os"

// lockFile reports that this system has no flock: the store then runs
// without the exclusive lock and without the grant cache.
func lockFile(*os.File) (supported bool, err error) { return false, nil }
