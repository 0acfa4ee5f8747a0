package botframework

// TrustStored trusts the service URL of a conversation reference that the
// bot stored itself, from an authenticated activity, in its own state (a
// watch's or an alert channel's conversation). After a restart, or on
// another replica of the bot, no activity from that URL may have arrived
// yet, and a proactive message to it would otherwise be refused with
// [ErrUntrustedServiceURL]. Never pass a URL that an unauthenticated
// request supplied. Without authentication (no token is sent) it does
// nothing.
func (c *Connector) TrustStored(serviceURL string) {
	if c.trusted != nil {
		c.trusted.Add(serviceURL)
	}
}
