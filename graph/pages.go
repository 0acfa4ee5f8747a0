package graph

import (
	"context"
	"fmt"
)

// page is one page of a typed collection answer.
type page[T any] struct {
	items []T
	next  string
}

// collect gets a typed collection page by page: fetch gets the first page
// when url is "" and the page at url (an @odata.nextLink) otherwise. It
// stops after max items (0: no limit) and reports whether it got them
// all. A page that fails fails the whole collection.
func collect[T any](ctx context.Context, c *Client, op operation, max int, fetch func(ctx context.Context, url string) (page[T], error)) ([]T, bool, error) {
	var out []T
	url := ""
	for n := 1; ; n++ {
		pop := op
		if n > 1 {
			pop.name = fmt.Sprintf("%s (page %d)", op.name, n)
		}
		var p page[T]
		err := c.send(ctx, pop, func(ctx context.Context) error {
			var err error
			p, err = fetch(ctx, url)
			return err
		})
		if err != nil {
			return nil, false, err
		}
		out = append(out, p.items...)
		if max > 0 && len(out) >= max {
			return out[:max], p.next == "" && len(out) == max, nil
		}
		if p.next == "" {
			return out, true, nil
		}
		url = p.next
	}
}
