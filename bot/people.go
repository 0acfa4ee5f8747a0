package bot

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
)

// Bounds of the search for people with a name close to a misspelt one.
const (
	// similarPrefix is how many letters of each word typed are searched
	// for: misspellings are rarer at the start of a name.
	similarPrefix = 3
	// maxSimilarSearches bounds the searches (one per word typed).
	maxSimilarSearches = maxNameWords
	// maxSimilarPeople is how many people a "did you mean" offers.
	maxSimilarPeople = 5
	// minNameSimilarity is the least similarity offered (1 is the same
	// name): one or two typos in a name.
	minNameSimilarity = 0.7
)

// similarPeople finds the people whose names are close to a name nobody
// has ("Jony Sherman" for Joni Sherman), best first. The work is bounded:
// one directory search per word typed (the first letters of the word, as
// a prefix of names: at most maxSimilarSearches searches, each returning
// at most the directory's page of candidates), never a walk through the
// directory. Failed searches only make the list shorter.
func (c *Conversation) similarPeople(ctx context.Context, t *botframework.Turn, typed string) []diagnose.User {
	var prefixes []string
	for _, w := range strings.Fields(typed) {
		r := []rune(strings.ToLower(trimPunct(w)))
		if len(r) < similarPrefix {
			continue
		}
		if p := string(r[:similarPrefix]); !slices.Contains(prefixes, p) && len(prefixes) < maxSimilarSearches {
			prefixes = append(prefixes, p)
		}
	}
	var (
		mu    sync.Mutex
		found = map[string]diagnose.User{}
		wg    sync.WaitGroup
	)
	for _, p := range prefixes {
		wg.Go(func() {
			us, err := c.dir.ResolveUser(ctx, p)
			if err != nil {
				t.Logger.Debug("similar names: search failed", "err", err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, u := range us {
				found[strings.ToLower(u.ObjectID)] = u
			}
		})
	}
	wg.Wait()
	type scored struct {
		u diagnose.User
		s float64
	}
	var cands []scored
	for _, u := range found {
		if s := nameSimilarity(typed, u); s >= minNameSimilarity {
			cands = append(cands, scored{u, s})
		}
	}
	slices.SortFunc(cands, func(a, b scored) int {
		switch {
		case a.s > b.s:
			return -1
		case a.s < b.s:
			return 1
		}
		return strings.Compare(a.u.DisplayName, b.u.DisplayName)
	})
	out := make([]diagnose.User, 0, min(len(cands), maxSimilarPeople))
	for i := 0; i < len(cands) && i < maxSimilarPeople; i++ {
		out = append(out, cands[i].u)
	}
	return out
}

// nameSimilarity scores from 0 to 1 how close a typed name is to a
// person's: each word typed against the closest word of their display
// name or of their user name ("joni.sherman"), averaged.
func nameSimilarity(typed string, u diagnose.User) float64 {
	local, _, _ := strings.Cut(u.UPN, "@")
	var theirs []string
	for _, n := range []string{u.DisplayName, strings.NewReplacer(".", " ", "_", " ", "-", " ").Replace(local)} {
		for _, w := range strings.Fields(n) {
			theirs = append(theirs, squash(w))
		}
	}
	words := strings.Fields(typed)
	if len(words) == 0 || len(theirs) == 0 {
		return 0
	}
	total := 0.0
	for _, w := range words {
		a := []rune(squash(w))
		best := 0.0
		for _, t := range theirs {
			b := []rune(t)
			longest := max(len(a), len(b))
			if longest == 0 {
				continue
			}
			best = max(best, 1-float64(osaDistance(a, b))/float64(longest))
		}
		total += best
	}
	return total / float64(len(words))
}
