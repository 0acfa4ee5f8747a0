package diagnose

// skippedRules explain entries the service skipped (facts §3.1 C).
var skippedRules = []Rule{}
