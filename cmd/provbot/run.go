package main

import (
	"context"
	"fmt"
	"io"
)

const usage = `provbot explains why a user's account is or is not provisioned into an app.

Usage:
  provbot <command> [flags]

Commands available in this build:
  help        show this help

Commands being built (see the project's issues):
  demo        local chat demo against an embedded demo tenant
  serve       the Microsoft Teams bot server
  diagnose    one user's diagnosis in the terminal
  status      an app's provisioning status
  logs        search and export a user's provisioning logs
  manifest    build the Teams app package
  check       verify credentials and Graph permissions
`

// run is the whole program behind main; tests call it directly. It returns
// the process exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	_ = ctx
	_ = getenv
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return 0
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "demo":
		// The demo is not built yet; say so and show what exists today.
		fmt.Fprint(stdout, "The provbot demo is not built yet. This is what the command line offers today:\n\n"+usage)
		return 0
	default:
		fmt.Fprintf(stderr, "provbot: %q is not available yet in this build\n\n%s", args[0], usage)
		return 2
	}
}
