package diagnose

// exportRules explain failures writing to the app (facts §3.1 E, §3.2.1).
var exportRules = []Rule{}
