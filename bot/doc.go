// Package bot is provbot's Teams conversation: it understands questions,
// decides who may see what (end users only their own account, the help desk
// anyone), looks the answer up through a [Directory] and the diagnose
// package, and answers with Adaptive Cards.
//
// [Conversation] is the [botframework.Handler] the Bot Framework server
// dispatches to; it answers through the [botframework.Turn] it is given,
// with a message for questions and card submits and with a replacement
// card for Action.Execute invokes. Every card button carries an
// [ActionData] payload, re-checked on arrival like any question. Cards are
// built with package card, which escapes every text we did not write.
//
// The Bot Framework protocol (authentication, Bot Connector, server) is
// package botframework; bot depends on it and on diagnose, never the
// reverse.
package bot
