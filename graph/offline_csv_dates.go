package graph

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Timestamps in the portal's downloads are UTC, but Microsoft does not
// document how they are written, and a file that went through a
// spreadsheet comes back in the spreadsheet's locale. csvDates reads the
// forms that occur: ISO 8601 (with or without a zone, "T" or a space),
// and day-first or month-first dates with slashes, dots or dashes, with a
// 24-hour or an AM/PM time. Times without a zone are UTC.
// https://learn.microsoft.com/entra/identity/monitoring-health/howto-download-logs#log-download-details
//
// Whether 03/04/2026 is the 3rd of April or the 4th of March is decided
// for the whole file: a day over 12 in either place settles it; a file
// that has both orders is an error; a file where no date settles it is
// read month first (the admin center's default English locale) and the
// caller is told so.
type csvDates struct {
	order dateOrder
	// assumed is set when no date in the file settled the order.
	assumed bool
}

type dateOrder int

const (
	orderUnknown dateOrder = iota
	monthFirst
	dayFirst
)

// isoLayouts are the ISO 8601 forms, tried in order.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
}

// newCSVDates settles the order of the numeric dates in values.
func newCSVDates(values []string) (csvDates, error) {
	var d csvDates
	var dayFirstSeen, monthFirstSeen string
	for _, v := range values {
		a, b, ok := numericDateParts(v)
		if !ok {
			continue
		}
		switch {
		case a > 12 && b <= 12:
			if dayFirstSeen == "" {
				dayFirstSeen = v
			}
		case b > 12 && a <= 12:
			if monthFirstSeen == "" {
				monthFirstSeen = v
			}
		}
	}
	switch {
	case dayFirstSeen != "" && monthFirstSeen != "":
		return d, fmt.Errorf("the dates are written both day first (%q) and month first (%q)", dayFirstSeen, monthFirstSeen)
	case dayFirstSeen != "":
		d.order = dayFirst
	case monthFirstSeen != "":
		d.order = monthFirst
	default:
		d.order = monthFirst
		for _, v := range values {
			if _, _, ok := numericDateParts(v); ok {
				d.assumed = true
				break
			}
		}
	}
	return d, nil
}

// numericDateParts returns the first two numbers of a date written
// 1/2/2026, 1.2.2026 or 01-02-2026 (year last).
func numericDateParts(v string) (a, b int, ok bool) {
	date, _, _ := strings.Cut(strings.TrimSpace(v), " ")
	parts := strings.FieldsFunc(date, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return 0, 0, false
	}
	a, err1 := strconv.Atoi(parts[0])
	b, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return a, b, true
}

// parse reads one timestamp as UTC.
func (d csvDates) parse(v string) (time.Time, error) {
	s := strings.TrimSpace(v)
	s = strings.TrimSuffix(strings.TrimSuffix(s, " UTC"), " GMT")
	if s == "" {
		return time.Time{}, fmt.Errorf("no date")
	}
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	a, b, ok := numericDateParts(s)
	if !ok {
		return time.Time{}, fmt.Errorf("%q is not a date", v)
	}
	day, month := a, b
	if d.order != dayFirst {
		day, month = b, a
	}
	date, clock, _ := strings.Cut(s, " ")
	year, _ := strconv.Atoi(date[len(date)-4:])
	hour, minute, sec, nsec, err := parseClock(strings.TrimSpace(clock))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: %w", v, err)
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day || int(t.Month()) != month {
		return time.Time{}, fmt.Errorf("%q is not a date", v)
	}
	return t, nil
}

// parseClock reads "15:04", "15:04:05", "15:04:05.123" or "3:04:05 PM";
// "" is midnight.
func parseClock(s string) (hour, minute, sec, nsec int, err error) {
	if s == "" {
		return 0, 0, 0, 0, nil
	}
	pm, am := false, false
	if u := strings.ToUpper(s); strings.HasSuffix(u, "PM") || strings.HasSuffix(u, "AM") {
		pm, am = strings.HasSuffix(u, "PM"), strings.HasSuffix(u, "AM")
		s = strings.TrimSpace(s[:len(s)-2])
	}
	for _, layout := range []string{"15:04:05.999999999", "15:04"} {
		if t, perr := time.Parse(layout, s); perr == nil {
			hour, minute, sec, nsec = t.Hour(), t.Minute(), t.Second(), t.Nanosecond()
			switch {
			case (pm || am) && (hour < 1 || hour > 12):
				return 0, 0, 0, 0, fmt.Errorf("%d is not an hour of a 12-hour clock", hour)
			case pm && hour < 12:
				hour += 12
			case am && hour == 12:
				hour = 0
			}
			return hour, minute, sec, nsec, nil
		}
	}
	return 0, 0, 0, 0, fmt.Errorf("%q is not a time of day", s)
}
