package bot

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// The verbs of watches and alerts (typed, or sent by their buttons).
const (
	// VerbWatch makes a watch: "Notify me", "tell me when my ServiceNow
	// account is ready".
	VerbWatch = "watch"
	// VerbWatches lists the asker's watches ("my watches").
	VerbWatches = "watches"
	// VerbUnwatch ends a watch ("stop watching").
	VerbUnwatch = "unwatch"
	// VerbAlertsHere registers the channel for alerts ("send alerts here").
	VerbAlertsHere = "alerts-here"
	// VerbAlertsOff unregisters it ("stop alerts here").
	VerbAlertsOff = "alerts-off"
	// VerbMute mutes an app's alerts for a while ("mute Salesforce for 1
	// day"); VerbUnmute ends that.
	VerbMute   = "mute"
	VerbUnmute = "unmute"
)

// maxMute is the longest an app can be muted for at once.
const maxMute = 30 * 24 * time.Hour

var (
	watchLeadRE  = regexp.MustCompile(`(?i)^(?:please\s+)?(?:tell|notify|ping|message)\s+me\s+(?:when|once|if)\s+(.+)$|^(?:please\s+)?let\s+me\s+know\s+(?:when|once|if)\s+(.+)$|^(?:please\s+)?(?:watch|notify\s+me\s+about)\s+(.+)$`)
	watchesRE    = regexp.MustCompile(`(?i)^(?:show\s+|list\s+)?(?:my|all\s+my)\s+watch(?:es|ing)?$|^(?:list|show)\s+watch(?:es)?$|^what\s+am\s+i\s+watching$`)
	unwatchRE    = regexp.MustCompile(`(?i)^(?:stop|cancel|end)\s+watch(?:ing)?(?:\s+(.*))?$|^(?:stop|cancel)\s+(?:notifying|telling)\s+me(?:\s+about)?(?:\s+(.*))?$`)
	alertsHereRE = regexp.MustCompile(`(?i)^(?:please\s+)?(?:send|post|put)\s+(?:the\s+)?alerts\s+(?:here|to\s+this\s+channel|in\s+this\s+channel)$`)
	alertsOffRE  = regexp.MustCompile(`(?i)^(?:stop|no\s+more|don't\s+send|do\s+not\s+send)\s+(?:the\s+)?alerts\s+(?:here|to\s+this\s+channel|in\s+this\s+channel)$`)
	muteRE       = regexp.MustCompile(`(?i)^(?:please\s+)?(?:mute|silence)\s+(?:alerts\s+(?:for|about|of)\s+)?(.+?)\s+(?:for\s+)?(?:(\d{1,3}|an?|one)\s+(hours?|h|days?|d|weeks?|w))$`)
	watchTailRE  = regexp.MustCompile(`(?i)\s+(?:(?:is|gets|has\s+been|was)\s+)?(?:ready|created|made|set\s+up|there|provisioned|done|working|fixed|exists?|works|shows\s+up|arrives|appears)$`)
	muteTailRE   = regexp.MustCompile(`(?i)\s+(?:for\s+)?(?:\d+|an?|one|a\s+few|some)\s+(?:hours?|h|days?|d|weeks?|w|months?|years?)$`)
	muteBareRE   = regexp.MustCompile(`(?i)^(?:please\s+)?(?:mute|silence)\s+(?:alerts\s+(?:for|about|of)\s+)?(.+)$`)
	unmuteRE     = regexp.MustCompile(`(?i)^(?:please\s+)?unmute\s+(?:alerts\s+(?:for|about|of)\s+)?(.+)$`)
)

// parseCommand reads the typed commands of watches and alerts. ok is
// false for anything else (a question for parseQuestion).
func parseCommand(text string, catalog []diagnose.App) (request, bool) {
	s := strings.TrimRight(normalizeText(text), ".!? ")
	if s == "" {
		return request{}, false
	}
	switch {
	case watchesRE.MatchString(s):
		return request{verb: VerbWatches}, true
	case alertsHereRE.MatchString(s):
		return request{verb: VerbAlertsHere}, true
	case alertsOffRE.MatchString(s):
		return request{verb: VerbAlertsOff}, true
	}
	if m := unwatchRE.FindStringSubmatch(s); m != nil {
		return request{verb: VerbUnwatch, watchRef: strings.TrimSpace(m[1] + m[2])}, true
	}
	if m := muteRE.FindStringSubmatch(s); m != nil {
		d, ok := muteSpan(m[2], m[3])
		r := request{verb: VerbMute, named: appRefFor(m[1], catalog), catalog: catalog, muteFor: d}
		if !ok {
			r.muteFor = 0
		}
		return r, true
	}
	if m := muteBareRE.FindStringSubmatch(s); m != nil {
		// No duration, or one past the limit: the answer asks for one.
		return request{verb: VerbMute, named: appRefFor(strings.TrimSuffix(muteTailRE.ReplaceAllString(m[1], ""), " for"), catalog), catalog: catalog}, true
	}
	if m := unmuteRE.FindStringSubmatch(s); m != nil {
		return request{verb: VerbUnmute, named: appRefFor(m[1], catalog), catalog: catalog}, true
	}
	if m := watchLeadRE.FindStringSubmatch(s); m != nil {
		rest := watchTailRE.ReplaceAllString(m[1]+m[2]+m[3], "")
		q := parseQuestion(rest, catalogNames(catalog))
		if q.Intent != intentDiagnose && q.Intent != intentStatus {
			return request{}, false
		}
		r := requestFromQuestion(q, catalog)
		r.verb = VerbWatch
		if q.Intent == intentStatus || r.subject.kind == subjectNone {
			r.subject = subject{kind: subjectSelf}
		}
		return r, true
	}
	return request{}, false
}

// appRefFor reads an app's name the way questions name apps.
func appRefFor(name string, catalog []diagnose.App) appRef {
	q := parseQuestion("status of "+name, catalogNames(catalog))
	if q.App.How == appUnnamed {
		return appRef{How: appUnknown, Said: strings.TrimSpace(name)}
	}
	return q.App
}

// muteSpan reads "1 day", "2 hours", "a week"; ok is false past maxMute.
func muteSpan(n, unit string) (time.Duration, bool) {
	k := 1
	switch strings.ToLower(n) {
	case "a", "an", "one":
	default:
		v, err := strconv.Atoi(n)
		if err != nil || v < 1 {
			return 0, false
		}
		k = v
	}
	var u time.Duration
	switch strings.ToLower(unit)[0] {
	case 'h':
		u = time.Hour
	case 'd':
		u = 24 * time.Hour
	default:
		u = 7 * 24 * time.Hour
	}
	d := time.Duration(k) * u
	return d, d <= maxMute
}
