package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/cancuoc/sdk/cccd"
)

func init() {
	register(command{name: "number validate", summary: "check 12-digit numbers, one per line on stdin; one JSON object per line", run: runNumberValidate})
	register(command{name: "number generate", summary: "print reproducible synthetic numbers for a seed", run: runNumberGenerate})
}

// maxLineBytes bounds one input line; longer lines are reported invalid
// (code "length") without being kept in memory.
const maxLineBytes = 4096

// validNumber is the output line for a valid number. Province and
// Province2025 are empty for a birth registered abroad (Abroad true,
// ProvinceCode the country code) and for an unknown prefix accepted with
// -allow-unknown-province (UnknownProvince true).
type validNumber struct {
	Valid           bool   `json:"valid"`
	Number          string `json:"number"`
	ProvinceCode    string `json:"province_code"`
	Province        string `json:"province"`
	Province2025    string `json:"province_2025"`
	Sex             string `json:"sex"`
	BirthYear       int    `json:"birth_year"`
	Abroad          bool   `json:"abroad,omitempty"`
	UnknownProvince bool   `json:"unknown_province,omitempty"`
}

type invalidNumber struct {
	Valid bool   `json:"valid"`
	Error string `json:"error"`
	Code  string `json:"code"`
}

func runNumberValidate(e *env, args []string) int {
	fs := newFlags(e, "number validate", "[-allow-unknown-province] < numbers\n\n"+
		"Reads one candidate per line (spaces, dots, hyphens and full-width digits\n"+
		"are accepted) and writes one JSON object per input line, in order:\n"+
		`  {"valid":true,"number":"001095012345","province_code":"001","province":"Hà Nội","province_2025":"Hà Nội","sex":"male","birth_year":1995}`+"\n"+
		`  {"valid":false,"error":"<reason>","code":"length|digit|legacy|province|birth_year"}`+"\n"+
		"An empty line is invalid (code \"length\"). A birth registered abroad has\n"+
		"\"abroad\":true, its country code as province_code and empty province names.\n"+
		"Prints the full number: an operator asked for it. Exit 0 when the input was read.\n")
	allowUnknown := fs.Bool("allow-unknown-province", false, "accept 0xx prefixes missing from the province table (reported with \"unknown_province\":true)")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	opts := cccd.ParseOptions{AllowUnknownProvince: *allowUnknown}
	in := bufio.NewReader(e.stdin)
	out := bufio.NewWriter(e.stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for {
		line, tooLong, err := readLine(in, maxLineBytes+2) // room for "\r\n"
		if err != nil && err != io.EOF {
			fmt.Fprintln(e.stderr, "cancuoc number validate: reading input:", err)
			out.Flush()
			return exitFail
		}
		if err == io.EOF && len(line) == 0 && !tooLong {
			break
		}
		var result any
		if tooLong {
			result = invalidNumber{Error: "line too long: wrong number of digits", Code: "length"}
		} else {
			result = validate(opts, strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r"))
		}
		if werr := enc.Encode(result); werr != nil {
			fmt.Fprintln(e.stderr, "cancuoc number validate:", werr)
			return exitFail
		}
		if err == io.EOF {
			break
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(e.stderr, "cancuoc number validate:", err)
		return exitFail
	}
	return exitOK
}

// readLine returns the next line with its newline, keeping at most limit
// bytes of it and reporting whether there was more. It serves number
// validate and mrz parse.
func readLine(r *bufio.Reader, limit int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) <= limit {
			line = append(line, chunk...)
		} else {
			tooLong = true
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return line, tooLong, err
	}
}

func validate(opts cccd.ParseOptions, s string) any {
	n, err := opts.ParseLenient(s)
	if err != nil {
		return invalidNumber{Error: reason(err), Code: errorCode(err)}
	}
	p := n.Province()
	return validNumber{
		Valid:           true,
		Number:          n.Digits(),
		ProvinceCode:    p.Code,
		Province:        p.Name,
		Province2025:    p.Name2025,
		Sex:             n.Sex().String(),
		BirthYear:       n.BirthYear(),
		Abroad:          p.Abroad,
		UnknownProvince: !p.Known() && !p.Abroad,
	}
}

// reason is the error for people: what is wrong, then where.
func reason(err error) string {
	var pe *cccd.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s (%s, byte offset %d)", strings.TrimPrefix(pe.Err.Error(), "cccd: "), pe.Field, pe.Offset)
	}
	return strings.TrimPrefix(err.Error(), "cccd: ")
}

// errorCode maps an error to the stable code of the output contract.
func errorCode(err error) string {
	switch {
	case errors.Is(err, cccd.ErrLegacyNumber):
		return "legacy"
	case errors.Is(err, cccd.ErrLength):
		return "length"
	case errors.Is(err, cccd.ErrDigit):
		return "digit"
	case errors.Is(err, cccd.ErrProvince):
		return "province"
	case errors.Is(err, cccd.ErrBirthYear):
		return "birth_year"
	}
	return "invalid"
}

func runNumberGenerate(e *env, args []string) int {
	fs := newFlags(e, "number generate", "[-n N] [-seed S] [-province 079|name] [-sex male|female] [-born 1990]\n\n"+
		"Prints N synthetic numbers, one per line; the same flags print the same numbers.\n")
	count := fs.Int("n", 1, "how many numbers")
	seed := fs.Int64("seed", 1, "seed of the deterministic generator")
	province := fs.String("province", "", "province code (001-096, or 100-299 for abroad) or name; empty for any")
	sex := fs.String("sex", "", "male or female; empty for either")
	born := fs.Int("born", 0, "birth year (1900 up to this year); 0 for any year from 1930 to 2019")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	if *count < 0 {
		fmt.Fprintf(e.stderr, "cancuoc number generate: -n %d: want 0 or more numbers\n", *count)
		return exitUsage
	}
	if thisYear := time.Now().Year(); *born != 0 && (*born < 1900 || *born > thisYear) {
		fmt.Fprintf(e.stderr, "cancuoc number generate: -born %d: want a birth year from 1900 to %d, or 0 for any year from 1930 to 2019\n", *born, thisYear)
		return exitUsage
	}
	spec := cccd.GenerateSpec{BirthYear: *born}
	switch *sex {
	case "":
	case "male":
		spec.Sex = cccd.Male
	case "female":
		spec.Sex = cccd.Female
	default:
		fmt.Fprintf(e.stderr, "cancuoc number generate: -sex %q: want male or female\n", *sex)
		return exitUsage
	}
	if *province != "" {
		p, ok := cccd.ProvinceByCode(*province)
		if !ok {
			p, ok = cccd.ProvinceByName(*province)
		}
		if !ok {
			fmt.Fprintf(e.stderr, "cancuoc number generate: -province %q: want a province code (001-096), an abroad code (100-299) or a province name\n", *province)
			return exitUsage
		}
		spec.Province = p.Code
	}
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], uint64(*seed))
	random := rand.NewChaCha8(key)
	out := bufio.NewWriter(e.stdout)
	for range *count {
		n, err := cccd.Generate(random, spec)
		if err != nil {
			fmt.Fprintln(e.stderr, "cancuoc number generate:", reason(err))
			out.Flush()
			return exitUsage
		}
		out.WriteString(n.Digits())
		out.WriteByte('\n')
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(e.stderr, "cancuoc number generate:", err)
		return exitFail
	}
	return exitOK
}
