package botframework

// DecodeRouting exposes decodeRouting to the tests: the routing members
// authentication checks before the full decode.
func DecodeRouting(body []byte) (struct{ Type, ServiceURL, ChannelID string }, error) {
	r, err := decodeRouting(body)
	return struct{ Type, ServiceURL, ChannelID string }{r.Type, r.ServiceURL, r.ChannelID}, err
}
