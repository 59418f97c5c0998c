package gateway

import (
	"context"
	"time"
)

// Invalidate marks the route table stale: the next request rebuilds it
// before it is routed, so a stack deployed through this node is served
// at once. Call it after every local stack change.
func (g *Gateway) Invalidate() { g.tables.invalidate() }

// Run keeps the route table in step with the store until ctx ends: it
// reads the Source's generation every PollInterval and rebuilds the
// table when it moved, so changes made through another node arrive
// within a second. It returns nil when ctx ends.
func (g *Gateway) Run(ctx context.Context) error {
	tick := time.NewTicker(g.cfg.PollInterval)
	defer tick.Stop()
	logged := false // log a failing store once, not every tick
	for {
		if err := g.tables.refresh(ctx); err != nil && ctx.Err() == nil {
			if !logged {
				g.log.ErrorContext(ctx, "gateway: refreshing the route table failed; retrying", "error", err)
			}
			logged = true
		} else {
			logged = false
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
