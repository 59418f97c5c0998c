package stack

import (
	"sort"
	"strings"
)

// order returns the ids topologically sorted so that each comes after the
// ids deps lists for it; among ready ids, the one earlier in ids goes
// first. A cycle is returned as the ids on it, in order, and a nil order.
func order(ids []string, deps map[string][]string) (sorted, cycle []string) {
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		index[id] = i
	}
	indeg := make(map[string]int, len(ids))
	users := map[string][]string{}
	for _, id := range ids {
		for _, d := range deps[id] {
			if _, ok := index[d]; !ok {
				continue
			}
			indeg[id]++
			users[d] = append(users[d], id)
		}
	}
	var ready []string
	for _, id := range ids {
		if indeg[id] == 0 {
			ready = append(ready, id)
		}
	}
	for len(ready) > 0 {
		sort.Slice(ready, func(i, j int) bool { return index[ready[i]] < index[ready[j]] })
		id := ready[0]
		ready = ready[1:]
		sorted = append(sorted, id)
		for _, u := range users[id] {
			indeg[u]--
			if indeg[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	if len(sorted) == len(ids) {
		return sorted, nil
	}
	return nil, findCycle(ids, deps, index)
}

// findCycle returns one cycle of the graph, starting at its earliest id.
func findCycle(ids []string, deps map[string][]string, index map[string]int) []string {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var found []string
	var visit func(id string) bool
	visit = func(id string) bool {
		color[id] = grey
		stack = append(stack, id)
		ds := append([]string(nil), deps[id]...)
		sort.Slice(ds, func(i, j int) bool { return index[ds[i]] < index[ds[j]] })
		for _, d := range ds {
			if _, ok := index[d]; !ok {
				continue
			}
			switch color[d] {
			case grey:
				for i := len(stack) - 1; i >= 0; i-- {
					if stack[i] == d {
						found = append([]string(nil), stack[i:]...)
						return true
					}
				}
			case white:
				if visit(d) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[id] = black
		return false
	}
	for _, id := range ids {
		if color[id] == white && visit(id) {
			break
		}
	}
	return found
}

func cycleText(c []string) string { return "[" + strings.Join(c, ", ") + "]" }
