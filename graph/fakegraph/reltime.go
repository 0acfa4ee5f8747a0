package fakegraph

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// expandTime resolves one relative-time template. It reports ok=false for
// a string that is not a template at all, and an error for a string that
// looks like one ("{{now" ... "}}") but does not parse, so a typo in a
// fixture fails loudly instead of being served as text.
//
// The grammar is {{now}} or {{now±<n><unit>...}} with units d, h, m and s,
// combinable in any order: {{now-2h30m}}, {{now+40m}}, {{now-3d}}. The
// result is RFC 3339 in UTC with seconds precision and a Z suffix.
func expandTime(s string, now time.Time) (string, bool, error) {
	if !strings.HasPrefix(s, "{{now") || !strings.HasSuffix(s, "}}") {
		return "", false, nil
	}
	expr := strings.TrimSuffix(strings.TrimPrefix(s, "{{now"), "}}")
	d, err := parseOffset(expr)
	if err != nil {
		return "", false, fmt.Errorf("relative time %q: %w", s, err)
	}
	return now.Add(d).UTC().Truncate(time.Second).Format(time.RFC3339), true, nil
}

// parseOffset parses "", "-2h30m", "+3d" into a duration.
func parseOffset(expr string) (time.Duration, error) {
	if expr == "" {
		return 0, nil
	}
	sign := time.Duration(1)
	switch expr[0] {
	case '-':
		sign = -1
	case '+':
	default:
		return 0, fmt.Errorf("want + or - after now, got %q", expr[:1])
	}
	rest := expr[1:]
	if rest == "" {
		return 0, fmt.Errorf("missing amount after %q", expr[:1])
	}
	var total time.Duration
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			return 0, fmt.Errorf("want <number><d|h|m|s>, got %q", rest)
		}
		n, err := strconv.ParseInt(rest[:i], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("amount %q: %w", rest[:i], err)
		}
		var unit time.Duration
		switch rest[i] {
		case 'd':
			unit = 24 * time.Hour
		case 'h':
			unit = time.Hour
		case 'm':
			unit = time.Minute
		case 's':
			unit = time.Second
		default:
			return 0, fmt.Errorf("unknown unit %q (want d, h, m or s)", rest[i:i+1])
		}
		total += time.Duration(n) * unit
		rest = rest[i+1:]
	}
	return sign * total, nil
}

// expandTimes replaces every relative-time template among the string
// values of v (recursively through objects and arrays) and returns the
// new value. Object keys are never touched. path names v in errors.
func expandTimes(v any, now time.Time, path string) (any, error) {
	switch x := v.(type) {
	case string:
		out, ok, err := expandTime(x, now)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if ok {
			return out, nil
		}
		return x, nil
	case map[string]any:
		for k, e := range x {
			n, err := expandTimes(e, now, path+"."+k)
			if err != nil {
				return nil, err
			}
			x[k] = n
		}
		return x, nil
	case []any:
		for i, e := range x {
			n, err := expandTimes(e, now, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			x[i] = n
		}
		return x, nil
	}
	return v, nil
}
