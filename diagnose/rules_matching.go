package diagnose

// matchingRules explain matching, duplicate and link problems (facts §3.1 D).
var matchingRules = []Rule{}
