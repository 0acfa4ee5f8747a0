package botframework

// DecodeRouting exposes decodeRouting to the tests: the routing members
// authentication checks before the full decode.
func DecodeRouting(body []byte) (struct{ Type, ServiceURL, ChannelID string }, error) {
	r, err := decodeRouting(body)
	return struct{ Type, ServiceURL, ChannelID string }{r.Type, r.ServiceURL, r.ChannelID}, err
}

// ForgetVerifiedTokens makes s verify every token in full, as before
// verified tokens were remembered (the benchmarks' naive baseline).
func ForgetVerifiedTokens(s *Server) { s.auth.cache = nil }

// PoolWaiting returns how many turns wait to start and how many idle
// turns wait to work again.
func PoolWaiting(s *Server) (queued, resuming int) {
	s.pool.mu.Lock()
	defer s.pool.mu.Unlock()
	return len(s.pool.queued), len(s.pool.resuming)
}
