// Package botframework implements the Bot Framework protocol provbot speaks
// with Microsoft Teams, directly (no SDK). It knows nothing of provbot's
// conversation: package bot implements [Handler] on top of it.
//
//   - [Activity] and its parts model the JSON the bot receives and sends;
//     decoding is tolerant and unknown members are written back unchanged.
//   - Inbound authentication checks every request as the Bot Framework
//     requires: Bearer JWT, RS256/384/512 only, kid, the published key's
//     signature, issuer, audience, lifetime with 5 minutes of skew, the
//     key's channel endorsements, and the serviceurl claim. Keys come from
//     the OpenID metadata document and are cached (daily refresh, unknown
//     kid refresh at most every 5 minutes, old keys kept if a refresh
//     fails). An Emulator path and a tenant allow-list are optional. A
//     rejected request gets 401 (403 for a tenant not allowed) and an
//     [*AuthError] in the log naming the [AuthCheck] that failed.
//   - [Connector] calls the Bot Connector (reply, send, update, delete) with
//     the bot token from a [TokenSource], only to service URLs that an
//     authenticated activity vouched for ([TrustedServiceURLs]), retrying
//     412/429/502/503/504 with backoff and Retry-After.
//   - [Server] serves POST /api/messages over gin: it acknowledges
//     activities at once and runs [Handler.OnActivity] in the background,
//     answers invokes synchronously with [Handler.OnInvoke], and waits for
//     work in flight on [Server.Shutdown]. A handler answers through the
//     [Turn] it is given: [Turn.Reply], [Turn.StartTyping] (the typing
//     indicator, sent alongside the work), [Turn.Update].
//
// Configuration uses the settings Bot Framework users know, with the
// meanings the Bot Framework SDKs give them ([Config]: MicrosoftAppId,
// MicrosoftAppPassword, MicrosoftAppType, MicrosoftAppTenantId,
// ChannelService and the endpoint overrides). Leaving MicrosoftAppId
// empty disables authentication, which is only allowed on a loopback listen
// address.
//
// Fakes of the Bot Framework services (token issuer, Bot Connector, token
// endpoint) for tests are in package bftest.
package botframework
