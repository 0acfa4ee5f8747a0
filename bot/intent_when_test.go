package bot

import (
	"testing"
	"time"
)

// TestQuestionsThatNameATime reads the times people put in questions:
// the question is still understood (whom, which app) and the time becomes
// the earliest moment it is about, in the asker's zone, never in the
// future. A month name that does not read as a date is no time.
func TestQuestionsThatNameATime(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	now := time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, berlin) }
	for _, tc := range []struct {
		text  string
		want  want
		said  string
		since time.Time
	}{
		{"why was my ServiceNow account removed in March?", self("ServiceNow"), "in March", day(2026, time.March, 1)},
		{"what happened to Adele Vance in ServiceNow since 3 March 2026", person("Adele Vance", "ServiceNow"), "since 3 March 2026", day(2026, time.March, 3)},
		{"did my Slack account change on March 3rd?", self("Slack"), "on March 3rd", day(2026, time.March, 3)},
		{"why is my Salesforce account missing since 2026-06-15", self("Salesforce"), "since 2026-06-15", day(2026, time.June, 15)},
		{"check adele@contoso.com in Salesforce two weeks ago", byUPN("adele@contoso.com", "Salesforce"), "two weeks ago", day(2026, time.November, 18)},
		{"why did my Zendesk access stop 2 months ago", self("?Zendesk"), "2 months ago", day(2026, time.October, 2)},
		{"what happened to my Slack account a couple of days ago", self("Slack"), "a couple of days ago", day(2026, time.November, 30)},
		{"why was I removed from Slack last month", self("Slack"), "last month", day(2026, time.November, 2)},
		{"why was I removed from Slack yesterday", self("Slack"), "yesterday", day(2026, time.December, 1)},
		{"why was my Box account deleted back in December", self("Box"), "back in December", day(2026, time.December, 1)},
		{"is my Box account ok since Dec 2", self("Box"), "since Dec 2", day(2026, time.December, 2)},
		{"why was my Box account deleted before May", self("Box"), "before May", day(2024, time.May, 1)},
		// A month that reads as no date takes nothing.
		{"May I check my ServiceNow account?", self("ServiceNow"), "", time.Time{}},
		{"why can't Joni Sherman get into Slack in May", person("Joni Sherman", "Slack"), "in May", day(2026, time.May, 1)},
		// No such day: no time, and nothing guessed.
		{"why was my Box account deleted on 31 February", self("Box"), "", time.Time{}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			q := parseQuestion(tc.text, knownApps)
			got := want{intent: q.Intent, subject: q.Subject, who: q.Who, app: appString(q.App), unclear: q.Unclear}
			if got != tc.want {
				t.Errorf("read as %+v, want %+v", got, tc.want)
			}
			if q.When.Said != tc.said {
				t.Errorf("time said %q, want %q", q.When.Said, tc.said)
			}
			if s := q.When.since(now, berlin); !s.Equal(tc.since) {
				t.Errorf("since %v, want %v", s, tc.since)
			}
		})
	}
}

// TestANamedTimeIsNeverInTheFuture: a date later than today, said
// without a year, is last year's; one said with a year is today at the
// latest.
func TestANamedTimeIsNeverInTheFuture(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		w    askedTime
		want time.Time
	}{
		{askedTime{Month: time.March, Day: 20}, time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC)},
		{askedTime{Month: time.March}, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		{askedTime{Month: time.December, Year: 2027}, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)},
		{askedTime{}, time.Time{}},
	} {
		if got := tc.w.since(now, time.UTC); !got.Equal(tc.want) {
			t.Errorf("%+v: since %v, want %v", tc.w, got, tc.want)
		}
	}
}
