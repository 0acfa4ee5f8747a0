package bot

import (
	"strconv"
	"strings"
	"time"
)

// askedTime is a time a question names ("since March", "on 3 March 2026",
// "two weeks ago", "last month", "2026-03-12"), kept as said: it becomes a
// time only against the clock and the asker's time zone (see since).
type askedTime struct {
	// Said is the words that named the time, as typed.
	Said string
	// A date or a month: Month is set; Day is 0 for a whole month; Year is
	// 0 when not said (then the latest such date that is not in the
	// future).
	Year  int
	Month time.Month
	Day   int
	// Or a time back from now: Ago units ("day", "week", "month", "year")
	// before today.
	Ago  int
	Unit string
	// Before is set when the question is about the time up to the date
	// ("before March", "until 3 May"), not from it.
	Before bool
}

// named reports whether the question named a time.
func (w askedTime) named() bool { return w.Month != 0 || w.Unit != "" }

// since is the earliest moment the question is about: the start of the
// day or month it names, or of the day Ago units back, in loc. It is zero
// when the question named no time, and never after now.
func (w askedTime) since(now time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	now = now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	var t time.Time
	switch {
	case w.Unit != "":
		switch w.Unit {
		case "day":
			t = today.AddDate(0, 0, -w.Ago)
		case "week":
			t = today.AddDate(0, 0, -7*w.Ago)
		case "month":
			t = today.AddDate(0, -w.Ago, 0)
		case "year":
			t = today.AddDate(-w.Ago, 0, 0)
		}
	case w.Month != 0:
		day := max(w.Day, 1)
		year := w.Year
		if year == 0 {
			year = now.Year()
			if time.Date(year, w.Month, day, 0, 0, 0, 0, loc).After(now) {
				year--
			}
		}
		t = time.Date(year, w.Month, day, 0, 0, 0, 0, loc)
	default:
		return time.Time{}
	}
	if w.Before {
		// Anything up to that date: as far back as a workspace keeps
		// interactive data (two years at most).
		t = t.AddDate(-2, 0, 0)
	}
	if t.After(now) {
		return today
	}
	return t
}

// months are the month names and their usual abbreviations, folded.
var months = map[string]time.Month{
	"january": time.January, "jan": time.January, "february": time.February, "feb": time.February,
	"march": time.March, "mar": time.March, "april": time.April, "apr": time.April, "may": time.May,
	"june": time.June, "jun": time.June, "july": time.July, "jul": time.July, "august": time.August,
	"aug": time.August, "september": time.September, "sep": time.September, "sept": time.September,
	"october": time.October, "oct": time.October, "november": time.November, "nov": time.November,
	"december": time.December, "dec": time.December,
}

// timeUnits are the units of "N units ago" and "last unit", folded.
var timeUnits = map[string]string{
	"day": "day", "days": "day", "week": "week", "weeks": "week",
	"month": "month", "months": "month", "year": "year", "years": "year",
}

// whenLeadWords introduce a time ("since March", "back in May").
var whenLeadWords = map[string]bool{
	"since": true, "in": true, "on": true, "from": true, "during": true, "after": true, "before": true,
	"until": true, "till": true, "around": true, "early": true, "mid": true, "late": true, "last": true,
}

// beforeWords introduce the end of the time a question is about.
var beforeWords = map[string]bool{"before": true, "until": true, "till": true}

// smallNumbers are the counts people spell out in "two weeks ago".
var smallNumbers = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2, "few": 3,
}

// takeWhen finds the first time the question names and takes its words
// (and the word that introduces it), so that they are read neither as a
// person nor as an app. A month name counts only where it reads as a
// date: after a word that introduces a time, or next to a day or a year
// ("May I check…" names no time).
func (p *parse) takeWhen() askedTime {
	for i := range p.ts {
		if p.used[i] {
			continue
		}
		if w, end, ok := p.whenAt(i); ok {
			start := i
			if start > 0 && !p.used[start-1] && whenLeadWords[p.ts[start-1].fold] {
				start--
				w.Before = beforeWords[p.ts[start].fold]
				if start > 0 && !p.used[start-1] && p.ts[start-1].fold == "back" {
					start--
				}
			}
			raw := make([]string, 0, end-start)
			for j := start; j < end; j++ {
				p.used[j] = true
				raw = append(raw, p.ts[j].core)
			}
			w.Said = strings.Join(raw, " ")
			return w
		}
	}
	return askedTime{}
}

// whenAt reads a time starting at token i and returns it with the index
// just past its words.
func (p *parse) whenAt(i int) (askedTime, int, bool) {
	f := func(j int) string {
		if j < len(p.ts) && !p.used[j] {
			return p.ts[j].fold
		}
		return ""
	}
	led := i > 0 && !p.used[i-1] && whenLeadWords[p.ts[i-1].fold]
	if y, m, d, ok := isoDate(p.ts[i].core); ok {
		return askedTime{Year: y, Month: m, Day: d}, i + 1, true
	}
	switch word := f(i); {
	case word == "yesterday":
		return askedTime{Ago: 1, Unit: "day"}, i + 1, true
	case word == "last" && timeUnits[f(i+1)] != "" && !strings.HasSuffix(f(i+1), "s"):
		// "last week", "last month": one unit back.
		return askedTime{Ago: 1, Unit: timeUnits[f(i+1)]}, i + 2, true
	case word == "last" && months[f(i+1)] != 0:
		// "last March": the latest March before this month.
		return askedTime{Month: months[f(i+1)]}, i + 2, true
	}
	// "3 weeks ago", "two months ago", "a couple of days ago".
	if n, ok := count(f(i)); ok {
		j := i + 1
		if f(i) == "couple" || f(i) == "few" {
			if f(j) == "of" {
				j++
			}
		} else if (f(i) == "a" || f(i) == "an") && (f(j) == "couple" || f(j) == "few") {
			n = smallNumbers[f(j)]
			j++
			if f(j) == "of" {
				j++
			}
		}
		if u := timeUnits[f(j)]; u != "" && f(j+1) == "ago" && n <= 100 {
			return askedTime{Ago: n, Unit: u}, j + 2, true
		}
	}
	// "3 March [2026]", "3rd of March".
	if d, ok := dayOfMonth(f(i)); ok {
		j := i + 1
		if f(j) == "of" {
			j++
		}
		if m := months[f(j)]; m != 0 {
			w, end := askedTime{Month: m, Day: d}, j+1
			if y, ok := year(f(end)); ok {
				w.Year, end = y, end+1
			}
			return w, end, validDay(w)
		}
	}
	// "March 3[rd] [2026]", "March 2026", "in March".
	if m := months[f(i)]; m != 0 {
		w, end := askedTime{Month: m}, i+1
		if d, ok := dayOfMonth(f(end)); ok {
			w.Day, end = d, end+1
		}
		if y, ok := year(f(end)); ok {
			w.Year, end = y, end+1
		}
		if led || w.Day != 0 || w.Year != 0 {
			return w, end, validDay(w)
		}
	}
	return askedTime{}, 0, false
}

// count reads a count of units: digits or a small number word.
func count(s string) (int, bool) {
	if n, ok := smallNumbers[s]; ok {
		return n, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}

// dayOfMonth reads "3", "03", "3rd", "21st".
func dayOfMonth(s string) (int, bool) {
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		s = strings.TrimSuffix(s, suffix)
	}
	if len(s) == 0 || len(s) > 2 {
		return 0, false
	}
	d, err := strconv.Atoi(s)
	return d, err == nil && d >= 1 && d <= 31
}

// year reads a four-digit year provisioning logs could be from.
func year(s string) (int, bool) {
	if len(s) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(s)
	return y, err == nil && y >= 2000 && y <= 2100
}

// validDay reports whether the day exists in the month (29 February in
// any year, since the year may not be said).
func validDay(w askedTime) bool {
	if w.Day == 0 {
		return true
	}
	y := w.Year
	if y == 0 {
		y = 2000 // a leap year
	}
	return time.Date(y, w.Month, w.Day, 0, 0, 0, 0, time.UTC).Day() == w.Day
}

// isoDate reads 2026-03-12.
func isoDate(s string) (int, time.Month, int, bool) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, 0, 0, false
	}
	if _, ok := year(strconv.Itoa(t.Year())); !ok {
		return 0, 0, 0, false
	}
	return t.Year(), t.Month(), t.Day(), true
}
