package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// env is what every command gets: the environment and the standard streams.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one `muster` subcommand.
type command struct {
	name, usage, summary string
	run                  func(ctx context.Context, e env, args []string) error
}

// errUsage marks a mistake on the command line (exit code 2).
var errUsage = errors.New("usage")

func commands() []command {
	return []command{
		{"run", "run [--demo]", "API and workers in one process: the single-machine default", cmdRun},
		{"serve", "serve", "the API alone", cmdServe},
		{"worker", "worker", "the workers alone", cmdWorker},
		{"migrate", "migrate", "create or upgrade the database schema", cmdMigrate},
		{"keys", "keys create --name NAME --role admin|organizer | keys list | keys revoke NAME", "manage API keys", cmdKeys},
		{"import", "import --campaign SLUG FILE.csv", "import supporters from a CSV file", cmdImport},
		{"send", "send --campaign SLUG (--template NAME | --content FILE.json) [flags]", "enqueue an alert through the API", cmdSend},
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	usage(stderr)
	return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("Muster sends mobilization alerts by email and SMS.\n\nUsage:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  muster %-40s %s\n", c.usage, c.summary)
	}
	b.WriteString("\nConfiguration comes from the environment (MUSTER_*); see README.md.\n")
	_, _ = io.WriteString(w, b.String())
}

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}
