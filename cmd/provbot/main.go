// Command provbot explains, in plain language, why a user's account is or is
// not provisioned into an app by Microsoft Entra ID. It runs as a Microsoft
// Teams bot (serve), as a local demo (demo), and as an admin command line.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
