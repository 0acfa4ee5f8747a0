package graph

import (
	"context"

	"github.com/provbot/provbot/diagnose"
)

// AppsFresh is [Client.Apps] with every job read anew rather than from
// the cache: what a poller that watches the jobs' state reads each time.
// Jobs are read through the synchronization API, not the throttled
// reporting API.
func (c *Client) AppsFresh(ctx context.Context) (apps []diagnose.App, err error) {
	defer c.recoverAs(&err, "list apps")
	infos, err := c.appCatalog(ctx)
	if err != nil {
		return nil, err
	}
	return c.withJobs(ctx, infos, true), nil
}
