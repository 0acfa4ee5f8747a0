package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRunHelpListsCommands(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"help"}, func(string) string { return "" }, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit code = %d, want 0 (stderr: %s)", code, errOut.String())
	}
	if !strings.Contains(out.String(), "diagnose") {
		t.Errorf("help does not mention the diagnose command:\n%s", out.String())
	}
}

func TestRunUnknownCommandFails(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, &out, &errOut)
	if code == 0 {
		t.Fatal("exit code = 0 for an unknown command, want non-zero")
	}
	if !strings.Contains(errOut.String(), "frobnicate") {
		t.Errorf("stderr does not name the unknown command: %s", errOut.String())
	}
}
