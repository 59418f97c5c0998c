package validate

import (
	"sort"
	"strconv"
)

// fgeOrder puts findings in the order fge reports them, and drops those
// fge never reaches. fge walks the instance depth first: at each value it
// runs the schema's keywords in alphabetical order, then visits the
// children (object members sorted by name, array elements by index) only
// if nothing has failed anywhere so far. So after the first failure, at
// value X, it still reports X's other failures and those of every value
// whose parent it had already entered (X's later siblings and the later
// siblings of X's ancestors), but of nothing deeper.
func fgeOrder(fs []finding, inst any) []string {
	if len(fs) == 0 {
		return nil
	}
	sort.SliceStable(fs, func(i, j int) bool {
		if c := comparePaths(inst, fs[i].path, fs[j].path); c != 0 {
			return c < 0
		}
		return fs[i].keyword < fs[j].keyword
	})
	first := fs[0].path
	var out []string
	for _, f := range fs {
		if samePath(f.path, first) || enteredBefore(f.path, first) {
			out = append(out, f.text)
		}
	}
	return out
}

// enteredBefore reports whether the parent of p is a proper ancestor of
// first: a container fge entered before the first failure.
func enteredBefore(p, first []string) bool {
	if len(p) == 0 || len(p)-1 >= len(first) {
		return false
	}
	return samePath(p[:len(p)-1], first[:len(p)-1])
}

func samePath(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// comparePaths orders two instance locations depth first: an ancestor
// before its descendants, array elements by index, members by name.
func comparePaths(inst any, a, b []string) int {
	v := inst
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			if _, isArray := v.([]any); isArray {
				x, errX := strconv.Atoi(a[i])
				y, errY := strconv.Atoi(b[i])
				if errX == nil && errY == nil {
					if x < y {
						return -1
					}
					return 1
				}
			}
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
		v = valueAt(v, a[i:i+1])
	}
	return len(a) - len(b)
}
