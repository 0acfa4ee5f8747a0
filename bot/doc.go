// Package bot is provbot's Bot Framework and Microsoft Teams adapter: it
// authenticates inbound activities, understands questions, and answers with
// Adaptive Cards through the Bot Connector REST API.
package bot
