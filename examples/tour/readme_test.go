package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeOutputs keeps the README honest (issue 14 item 10): every Go
// snippet of README.md that prints is, line for line, part of the body of
// an Example_readme function in the repository, and every output the
// snippet claims in a comment after a fmt.Print call is a line of that
// Example's "// Output:", which go test checks by running it. A claim may
// continue after the output with an explanation ("182 true: a match"), or
// end in " ..." to show only the start of a long line.
func TestReadmeOutputs(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	type example struct {
		file   string
		body   []string // trimmed, blank lines dropped
		output []string
	}
	var examples []example
	err = filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		src := string(b)
		_, after, ok := strings.Cut(src, "func Example_readme() {\n")
		if !ok {
			return nil
		}
		code, out, ok := strings.Cut(after, "\t// Output:\n")
		if !ok {
			t.Errorf("%s: Example_readme has no // Output:", path)
			return nil
		}
		out, _, _ = strings.Cut(out, "\n}")
		ex := example{file: path, body: normalize(code)}
		for _, l := range strings.Split(out, "\n") {
			ex.output = append(ex.output, strings.TrimPrefix(strings.TrimSpace(l), "// "))
		}
		examples = append(examples, ex)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(examples) < 5 {
		t.Fatalf("found %d Example_readme functions, want at least 5", len(examples))
	}

	claim := regexp.MustCompile(`fmt\.Print[a-z]*\(.*\)\s*// (.+)$`)
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	printing := 0
	for _, m := range blocks {
		block := m[1]
		if !strings.Contains(block, "fmt.Print") {
			continue
		}
		printing++
		lines := normalize(block)
		var found *example
		for i := range examples {
			if containsRun(examples[i].body, lines) {
				found = &examples[i]
				break
			}
		}
		if found == nil {
			t.Errorf("README snippet starting %q is not the body of any Example_readme", lines[0])
			continue
		}
		for _, l := range lines {
			c := claim.FindStringSubmatch(l)
			if c == nil {
				continue
			}
			ok := false
			for _, out := range found.output {
				short, abbreviated := strings.CutSuffix(c[1], " ...")
				if out != "" && (strings.HasPrefix(c[1], out) || abbreviated && strings.HasPrefix(out, short)) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("README claims output %q, which %s's Example_readme does not print", c[1], found.file)
			}
		}
	}
	if printing < 5 {
		t.Errorf("found %d printing Go snippets in README.md, want at least 5", printing)
	}
}

// normalize trims each line and drops blank ones, so a snippet matches a
// function body whatever its indentation.
func normalize(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// containsRun reports whether want appears in have as consecutive lines.
func containsRun(have, want []string) bool {
	for i := 0; i+len(want) <= len(have); i++ {
		match := true
		for j := range want {
			if have[i+j] != want[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
