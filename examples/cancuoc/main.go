// Command cancuoc is the operator's tool for Vietnamese citizen identity
// cards: it validates and generates numbers, parses and encodes MRZs, issues
// and verifies chip files, and compares fingerprint templates.
//
// Each subcommand lives in its own file and registers itself in init; run
// "cancuoc -h" for the list and "cancuoc CMD -h" for one command's flags.
//
// This tool prints full personal data on purpose: an operator asked for it.
// Services must not copy that habit (see examples/verifyd).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Exit codes shared by every subcommand. The rule: a problem found in the
// command line itself (an unknown or malformed flag, a flag value out of
// range, a missing or extra argument), before any file is opened, is
// exitUsage; a problem found in an input (a file missing, unreadable, over
// its size limit, malformed or refused) or in an operation is exitFail.
const (
	exitOK    = 0
	exitFail  = 1 // an input is missing, unreadable or invalid, or an operation failed
	exitUsage = 2 // the command line is wrong
)

// command is one leaf of the command tree, such as "number validate".
type command struct {
	name    string // space-separated path, e.g. "chip verify"
	summary string // one line for the listing
	run     func(env *env, args []string) int
}

// env is what a command may touch; tests swap the streams.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// commands is filled by the init functions of the subcommand files.
var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("cancuoc: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

func main() {
	os.Exit(run(&env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}

// run dispatches args to the longest registered command path they start with.
func run(e *env, args []string) int {
	for n := len(args); n > 0; n-- {
		if c, ok := commands[strings.Join(args[:n], " ")]; ok {
			return c.run(e, args[n:])
		}
	}
	// No leaf matched: list what lives under the words given (or everything).
	prefix := ""
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			break
		}
		prefix = strings.TrimSpace(prefix + " " + a)
	}
	names := subcommands(prefix)
	if len(names) == 0 {
		fmt.Fprintf(e.stderr, "cancuoc: unknown command %q\n\n", prefix)
		names = subcommands("")
	}
	usage(e.stderr, names)
	if len(args) > 0 && !isHelp(args[len(args)-1]) {
		return exitUsage
	}
	if len(args) == 0 {
		return exitUsage
	}
	return exitOK
}

func subcommands(prefix string) []string {
	var names []string
	for name := range commands {
		if prefix == "" || name == prefix || strings.HasPrefix(name, prefix+" ") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

func usage(w io.Writer, names []string) {
	fmt.Fprintln(w, "usage: cancuoc COMMAND [flags] [args]\n\ncommands:")
	for _, n := range names {
		fmt.Fprintf(w, "  %-22s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nrun \"cancuoc COMMAND -h\" for a command's flags")
}

func isHelp(a string) bool { return a == "-h" || a == "-help" || a == "--help" || a == "help" }

// newFlags returns a flag set for one command that writes its usage to
// stderr and reports errors instead of exiting.
func newFlags(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: cancuoc %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and turns the outcome into an exit code when the
// command should stop: -h is success, anything else is a usage error.
func parseFlags(fs *flag.FlagSet, args []string) (code int, stop bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return exitOK, false
	case errors.Is(err, flag.ErrHelp):
		return exitOK, true
	default:
		return exitUsage, true
	}
}
