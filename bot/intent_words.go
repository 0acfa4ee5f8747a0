package bot

import "strings"

// The vocabularies of the question parser. Every key is folded as squash
// folds a word: lower case, letters and digits only, no possessive ("can't"
// is "cant", "what's" is "whats").

// wordSet builds a set from space-separated folded words.
func wordSet(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, ws := range words {
		for _, w := range strings.Fields(ws) {
			m[w] = true
		}
	}
	return m
}

// selfWords mean the asker.
var selfWords = wordSet("i me my mine myself im ive")

// filler words carry neither a name nor an app: how people phrase a
// question about an account.
var filler = wordSet(
	// question words and auxiliaries
	"why what whats whys where wheres when who whos which how hows come",
	"is isnt are arent was wasnt were werent be been being am",
	"do does doesnt did didnt dont done doing",
	"can cant cannot could couldnt would wouldnt will wont should shall may might must",
	"has have hasnt havent had hadnt get gets getting got gotten give given gave",
	// pronouns, articles, prepositions, conjunctions
	"a an the this that these those it its we us our you your yours there here",
	"to into in on at of for from with without about by as up down out off over under since after before until",
	"and or but so because if then than also too just only still yet again anymore already even",
	"not no nope none never any all some every each other others else",
	// polite words and greetings
	"please pls plz thanks thank hey hi hello ok okay yes yeah bot provbot",
	// verbs of asking and looking
	"check checking look looking lookup find tell show see explain investigate diagnose know need needs want wonder",
	"happened happens happening going go goes went",
	// accounts and access
	"account accounts access login logins log logged sign signed signin logon profile user users username",
	"app apps application applications entries logs tenant license licence seat provisioning",
	"work works working worked use using used open opening enter able",
	"missing ready created provisioned set setup added assigned removed deleted disabled turned enabled",
	"broken wrong problem problems issue issues error errors trouble fail fails failing failed stuck",
	"new team",
	"gone disappeared vanished lost losing locked stopped stop start started starting show showing shows appear appears",
	"updated update updating updates sync synced syncing change changed changes old details record",
	"title job manager phone number email name department office",
	"let lets allow allowed refused reject rejected denied keep keeps",
	"today yesterday now week month last next soon long time",
	"status health healthy quarantined quarantine paused stuck running progress outage outages degraded",
	"is there fine good well bad right correct",
	"everything anything something nothing everyone anyone nobody password passwords mfa code",
	// days, months, and the tools around the apps
	"monday tuesday wednesday thursday friday saturday sunday weekend morning afternoon evening tonight",
	"january february march april june july august september october november december",
	"teams outlook windows microsoft azure entra onedrive sharepoint okta vpn laptop computer mac browser chrome edge mail calendar",
)

// personWords refer to someone without naming them ("the new intern",
// "she"); plural ones to several people.
var (
	personWords       = wordSet("colleague coworker teammate employee hire intern contractor boss someone somebody person he she him her his hers")
	personPluralWords = wordSet("colleagues coworkers teammates employees hires interns contractors people staff they them their theirs")
)

// orgUnitWords follow the name of a part of the organisation, not of a
// person ("the Marketing department").
var orgUnitWords = wordSet("department dept division office project site building floor unit")

// triggers are words a person's name follows ("check Adele", "why can't
// Joni", "what happened to Megan").
var triggers = wordSet("check about happened to is isnt are was does doesnt did didnt cant cannot couldnt wont has hasnt",
	"look lookup find investigate diagnose explain why for can could would should")

// statusWords ask about an app rather than a person.
var statusWords = wordSet("status health healthy quarantined quarantine paused stuck running progress down outage outages degraded")

// groupMarkers follow or precede a group's name ("the Sales group").
var groupMarkers = wordSet("group groups team")

// thanksWords thank the bot; thanksFiller may go with them.
var (
	thanksWords  = wordSet("thanks thank thx ty cheers ta merci danke gracias thankyou")
	thanksFiller = wordSet("you so much very a lot for the help ok okay great perfect cool got it that helps helped many bot provbot")
)

// helpPhrases ask what the bot can do.
var helpPhrases = wordSet() // filled by init from helpTexts

var helpTexts = []string{"help", "hi", "hello", "hey", "start", "menu", "commands", "what can you do", "how does this work",
	"what do you do", "who are you", "usage", "help me", "hi there", "hello there", "what can i ask"}

func init() {
	for _, h := range helpTexts {
		helpPhrases[h] = true
	}
}
