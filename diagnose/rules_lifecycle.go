package diagnose

// overrideRules explain entries that account for the job's state
// themselves; lifecycleRules explain disables and deletions (facts §3.1 G).
var (
	overrideRules  = []Rule{}
	lifecycleRules = []Rule{}
)
