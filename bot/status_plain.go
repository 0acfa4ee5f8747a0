package bot

import "github.com/provbot/provbot/diagnose"

// plainStatus says how an app's provisioning is doing in words for end
// users: a sentence about the app and, when it is not working, what to
// do. It carries no job state, error code, id or message from the app
// (those can name other people); the help desk gets the Current Status
// panel instead.
func plainStatus(app appInfo, contact string) (headline, detail string) {
	n := app.Name
	if app.Status == nil {
		return "I couldn't read how " + n + " is doing", "Please try again in a minute."
	}
	meanwhile := " If you need " + n + " now, ask " + contact + "."
	switch app.Status.State {
	case "running":
		return n + " is working normally", "New accounts and changes reach " + n + " on their own, usually within the hour."
	case "initial cycle":
		return n + " is being set up", n + " was connected recently and is still creating everyone's accounts for the first time." + meanwhile
	case "quarantined":
		return n + " updates are on hold until an admin fixes them", "New accounts and changes wait until then, and then go out on their own." + meanwhile
	case "failing":
		return n + " updates are not getting through right now", "They are retried on their own; if it lasts, an admin needs to fix it." + meanwhile
	case "paused":
		return n + " updates are paused", "Nothing reaches " + n + " until an admin turns them back on." + meanwhile
	case "disabled":
		return n + " updates were switched off", "They stopped after failing for a long time; an admin needs to fix them." + meanwhile
	case "not configured":
		return n + " does not get accounts automatically", "Accounts in " + n + " are not created for you on their own. To get one, ask " + contact + "."
	}
	return "I couldn't tell how " + n + " is doing", "Please ask " + contact + "."
}

// plainAppInfo keeps of an app's status only what an end user may see:
// whether it works, in plain words.
func plainAppInfo(info appInfo) appInfo {
	if info.Status == nil {
		return info
	}
	word := map[string]string{
		"running": "working", "initial cycle": "being set up", "quarantined": "on hold", "failing": "not getting through",
		"paused": "paused", "disabled": "switched off", "not configured": "not automatic",
	}[info.Status.State]
	if word == "" {
		word = "unknown"
	}
	return appInfo{ID: info.ID, Name: info.Name, Status: &diagnose.AppStatus{State: word, Healthy: info.Status.Healthy}}
}
