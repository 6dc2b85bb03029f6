package main

import (
	"bytes"
	"strings"
	"testing"
)

// runCLI runs the command line args with stdin and returns what it wrote
// and its exit code: what every subcommand's tests call.
func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(&env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb}, args)
	return out.String(), errb.String(), code
}
