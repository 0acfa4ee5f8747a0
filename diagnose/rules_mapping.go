package diagnose

// mappingRules explain attribute-mapping and data problems (facts §3.1 F).
var mappingRules = []Rule{}
