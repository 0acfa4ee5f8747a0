package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/provbot/provbot/internal/escape"
)

const usage = `provbot explains why a user's account is or is not provisioned into an app
by Microsoft Entra ID, and what will fix it.

Usage:
  provbot <command> [flags]

Commands:
  demo        run the local chat demo against an embedded demo tenant (no Azure needed)
  serve       run the Microsoft Teams bot server
  diagnose    explain one user's accounts:   provbot diagnose adele@contoso.com --app ServiceNow
  status      an app's provisioning status:  provbot status Salesforce
  logs        search and export provisioning logs, a user's or everyone's (table, JSON or the portal's CSV files)
  manifest    build the Teams app package:   provbot manifest --bot-id <app id> --out provbot.zip
  check       check credentials, Graph permissions and bot settings before going live
  help        show this help, or "provbot help <command>"

Data: diagnose, status and logs read live Microsoft Graph (PROVBOT_GRAPH_URL,
AZURE_* credentials), the demo tenant with --demo, or a saved download with
--logs (the portal's CSV files or a JSON file).
Run "provbot <command> -h" for a command's flags.
`

// env is what a command needs from the process: the environment, the
// output streams and the clock.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
}

// errUsage marks a command-line mistake (exit code 2); the message says what.
var errUsage = errors.New("usage")

// usageError is a command-line mistake with its explanation.
func usageError(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

// commands maps a command name to its implementation.
var commands = map[string]func(ctx context.Context, e env, args []string) error{
	"demo":     runDemo,
	"serve":    runServe,
	"diagnose": runDiagnose,
	"status":   runStatus,
	"logs":     runLogs,
	"manifest": runManifest,
	"check":    runCheck,
}

// run is the whole program behind main; tests call it directly. It returns
// the process exit code: 0 on success, 1 when the command failed, 2 for a
// command-line mistake.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return runEnv(ctx, args, env{getenv: getenv, stdout: stdout, stderr: stderr, now: time.Now})
}

// runEnv is run with its environment given, so that tests can fix the
// clock for saved files whose times are absolute.
func runEnv(ctx context.Context, args []string, e env) int {
	stdout, stderr := e.stdout, e.stderr
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return 0
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "--help":
		if len(rest) > 0 && commands[rest[0]] != nil {
			return runEnv(ctx, []string{rest[0], "-h"}, e)
		}
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "--version":
		fmt.Fprintln(stdout, "provbot", version())
		return 0
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "provbot: unknown command %q\n\n%s", name, usage)
		return 2
	}
	err := cmd(ctx, e, rest)
	// An error can quote data (a name, Graph's message): it is printed
	// cleaned of what a terminal would obey.
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "provbot %s: %s\nRun \"provbot %s -h\" for its flags.\n", name, escape.TerminalLines(strings.TrimPrefix(err.Error(), "usage: ")), name)
		return 2
	default:
		fmt.Fprintf(stderr, "provbot %s: %s\n", name, escape.TerminalLines(err.Error()))
		return 1
	}
}

// newFlags makes a command's flag set that reports to stderr and returns
// errors instead of exiting.
func newFlags(e env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("provbot "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: provbot %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// ("provbot diagnose adele@contoso.com --app ServiceNow"), and returns the
// positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError("%v", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
