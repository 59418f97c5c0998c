package stack

// SetHook installs a function the engine calls at named points of an
// operation ("begin", "before-provider", "after-provider",
// "before-commit", "cleanup-delete", "delete"); a panic there simulates a
// crash.
func (e *Engine) SetHook(h func(point, logicalID string)) { e.hook = h }
