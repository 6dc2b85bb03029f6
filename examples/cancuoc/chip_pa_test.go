package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const ldsDir = "../../testdata/lds/"

// keyOrder returns the top-level keys of a JSON object in order.
func keyOrder(t *testing.T, s string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %q", s)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestChipIssueVerifyContract(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "card")
	out, stderr, code := runCLI(t, "", "chip", "issue", "-out", dir, "-seed", "7")
	if code != exitOK {
		t.Fatalf("issue: exit %d %s", code, stderr)
	}
	for _, n := range []string{"csca.pem", "EF.COM", "DG1", "DG2", "DG13", "DG14", "DG15", "EF.SOD"} {
		if st, err := os.Stat(filepath.Join(dir, n)); err != nil || st.Size() == 0 {
			t.Fatalf("%s not written (%v); stdout %q", n, err, out)
		}
	}
	csca := filepath.Join(dir, "csca.pem")
	out, stderr, code = runCLI(t, "", "chip", "verify", "-trust", csca, dir)
	if code != exitOK {
		t.Fatalf("verify: exit %d %s %s", code, out, stderr)
	}
	// The default holder's number 001090012345 gives document number
	// 090012345 (its last nine digits, spec mrz.md).
	want := `{"valid":true,"reason":"","data_groups":{"DG1":"ok","DG13":"ok","DG14":"ok","DG15":"ok","DG2":"ok"},"document_number":"090012345","signer":"CN=DS chiptest 2,O=cancuoc test issuer,C=VN"}` + "\n"
	if out != want {
		t.Fatalf("got  %s\nwant %s", out, want)
	}
	if got := keyOrder(t, out); strings.Join(got, ",") != "valid,reason,data_groups,document_number,signer" {
		t.Fatalf("key order %v", got)
	}
	// Before the signer's validity: expired.
	out, _, code = runCLI(t, "", "chip", "verify", "-trust", csca, "-at", "2008-06-01T00:00:00Z", dir)
	if code != exitFail || !strings.Contains(out, `"reason":"expired"`) {
		t.Fatalf("-at 2008: exit %d %s", code, out)
	}
	// One flipped byte of DG13.
	dg13 := filepath.Join(dir, "DG13")
	b, _ := os.ReadFile(dg13)
	b[len(b)/2] ^= 0x01
	os.WriteFile(dg13, b, 0o644)
	out, _, code = runCLI(t, "", "chip", "verify", "-trust", csca, dir)
	if code != exitFail || !strings.Contains(out, `"valid":false,"reason":"digest_mismatch"`) || !strings.Contains(out, `"DG13":"mismatch"`) {
		t.Fatalf("tampered: exit %d %s", code, out)
	}
	// An unprotected extra data group.
	os.WriteFile(filepath.Join(dir, "DG11"), []byte{0x6B, 0x00}, 0o644)
	out, _, _ = runCLI(t, "", "chip", "verify", "-trust", csca, dir)
	if !strings.Contains(out, `"DG11":"not_in_sod"`) {
		t.Fatalf("DG11: %s", out)
	}
	// Another issuer's CSCA: untrusted.
	other := filepath.Join(t.TempDir(), "other")
	runCLI(t, "", "chip", "issue", "-out", other, "-seed", "8")
	out, _, code = runCLI(t, "", "chip", "verify", "-trust", filepath.Join(other, "csca.pem"), other)
	if code != exitOK {
		t.Fatalf("other card: %s", out)
	}
	out, _, code = runCLI(t, "", "chip", "verify", "-trust", csca, other)
	if code != exitFail || !strings.Contains(out, `"reason":"untrusted_signer"`) {
		t.Fatalf("untrusted: exit %d %s", code, out)
	}
}

func TestChipVerifyUsage(t *testing.T) {
	for _, args := range [][]string{
		{"chip", "verify"},
		{"chip", "verify", "-at", "yesterday", t.TempDir()},
		{"chip", "issue"},
		{"chip", "sod"},
		{"chip", "masterlist"},
	} {
		if _, _, code := runCLI(t, "", args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
	for _, c := range []string{"verify", "issue", "sod", "masterlist"} {
		if _, _, code := runCLI(t, "", "chip", c, "-h"); code != exitOK {
			t.Errorf("chip %s -h: exit %d", c, code)
		}
	}
}

// The specimen passport (README of testdata/lds): everything green but
// the chain, whose CSCA is not public.
func TestChipVerifySpecimen(t *testing.T) {
	dir := t.TempDir()
	for from, to := range map[string]string{"EF.COM": "EF.COM", "DG1.bin": "DG1", "DG2.bin": "DG2", "DG15.bin": "DG15", "EF.SOD": "EF.SOD"} {
		b, err := os.ReadFile(ldsDir + "jmrtd_nl-specimen2006_" + from)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, to), b, 0o644)
	}
	out, _, code := runCLI(t, "", "chip", "verify", "-trust", ldsDir+"gmrtd_NL_masterlist_2026-07-22.ml", "-ml-root", ldsDir+"gmrtd_NL_csca_root.cer", "-at", "2008-06-01T00:00:00Z", dir)
	want := `{"valid":false,"reason":"untrusted_signer","data_groups":{"DG1":"ok","DG15":"ok","DG2":"ok"},"document_number":"XX0001328","signer":"C=NL,O=Sdu Identification bv,OU=DS Test,CN=DS Test"}` + "\n"
	if code != exitFail || out != want {
		t.Fatalf("exit %d\ngot  %swant %s", code, out, want)
	}
}

func TestChipSODContract(t *testing.T) {
	ml := ldsDir + "gmrtd_NL_masterlist_2026-07-22.ml"
	out, stderr, code := runCLI(t, "", "chip", "sod", "-trust", ml, "-ml-root", ldsDir+"gmrtd_NL_csca_root.cer", "-at", "2023-01-01T00:00:00Z", ldsDir+"gmrtd_realissuer-SG_EF.SOD")
	if code != exitOK {
		t.Fatalf("exit %d %s", code, stderr)
	}
	if got := strings.Join(keyOrder(t, out), ","); got != "lds_version,hash_algorithm,signature_algorithm,data_groups,signer,signature_valid,chain,errors" {
		t.Fatalf("keys %s", got)
	}
	var r struct {
		LDSVersion     int               `json:"lds_version"`
		Hash           string            `json:"hash_algorithm"`
		DataGroups     map[string]string `json:"data_groups"`
		SignatureValid bool              `json:"signature_valid"`
		Chain          string            `json:"chain"`
		Errors         []string          `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// README: SG is LDSSecurityObject v1, SHA-256, DGs 1,2,3,4,13,14.
	if r.LDSVersion != 1 || r.Hash != "SHA-256" || len(r.DataGroups) != 6 || !r.SignatureValid || r.Chain != "ok" || len(r.Errors) != 0 {
		t.Fatalf("%s", out)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(r.DataGroups["14"]) {
		t.Fatalf("DG14 hash %q", r.DataGroups["14"])
	}
	// Without -trust the chain is not checked; the specimen's CSCA is unknown.
	out, _, code = runCLI(t, "", "chip", "sod", ldsDir+"jmrtd_nl-specimen2006_EF.SOD")
	if code != exitOK || !strings.Contains(out, `"signature_valid":true,"chain":"not_checked"`) {
		t.Fatalf("specimen: %s", out)
	}
	out, _, code = runCLI(t, "", "chip", "sod", "-trust", ml, "-ml-root", ldsDir+"gmrtd_NL_csca_root.cer", "-at", "2008-06-01T00:00:00Z", ldsDir+"jmrtd_nl-specimen2006_EF.SOD")
	if code != exitOK || !strings.Contains(out, `"chain":"untrusted"`) {
		t.Fatalf("specimen with list: %s", out)
	}
	// Trailing data: exit 1, message on stderr.
	b, _ := os.ReadFile(ldsDir + "gmrtd_realissuer-US_EF.SOD")
	f := filepath.Join(t.TempDir(), "EF.SOD")
	os.WriteFile(f, append(b, 0), 0o644)
	out, stderr, code = runCLI(t, "", "chip", "sod", f)
	if code != exitFail || out != "" || !strings.Contains(stderr, "trailing") {
		t.Fatalf("trailing: exit %d %q %q", code, out, stderr)
	}
}

func TestChipMasterListContract(t *testing.T) {
	out, stderr, code := runCLI(t, "", "chip", "masterlist", "-trust", ldsDir+"gmrtd_NL_csca_root.cer", ldsDir+"gmrtd_NL_masterlist_2026-07-22.ml")
	if code != exitOK {
		t.Fatalf("exit %d %s", code, stderr)
	}
	if got := strings.Join(keyOrder(t, out), ","); got != "signature_valid,signer,chain,certificates,usable,rejected,countries" {
		t.Fatalf("keys %s", got)
	}
	// README: valid signature, chain to the root, 411 certificates, 129 countries.
	if !strings.HasPrefix(out, `{"signature_valid":true,"signer":"`) || !strings.Contains(out, `CN=Masterlist Signer NL,serialNumber=8","chain":"ok","certificates":411,`) ||
		!strings.HasSuffix(out, `"countries":129}`+"\n") {
		t.Fatalf("%s", out)
	}
	out, _, _ = runCLI(t, "", "chip", "masterlist", ldsDir+"gmrtd_NL_masterlist_2026-07-22.ml")
	if !strings.Contains(out, `"chain":"not_checked"`) {
		t.Fatalf("%s", out)
	}
	// -ml-root is the name chip verify uses for the same root.
	out, _, _ = runCLI(t, "", "chip", "masterlist", "-ml-root", ldsDir+"gmrtd_NL_csca_root.cer", ldsDir+"gmrtd_NL_masterlist_2026-07-22.ml")
	if !strings.Contains(out, `"chain":"ok"`) {
		t.Fatalf("-ml-root: %s", out)
	}
	// The wrong root: untrusted.
	dir := filepath.Join(t.TempDir(), "card")
	runCLI(t, "", "chip", "issue", "-out", dir)
	out, _, _ = runCLI(t, "", "chip", "masterlist", "-trust", filepath.Join(dir, "csca.pem"), ldsDir+"gmrtd_NL_masterlist_2026-07-22.ml")
	if !strings.Contains(out, `"chain":"untrusted"`) {
		t.Fatalf("%s", out)
	}
	// Not a master list: exit 1.
	if _, _, code := runCLI(t, "", "chip", "masterlist", ldsDir+"gmrtd_sample_DG15.bin"); code != exitFail {
		t.Fatalf("DG15 as a list: exit %d", code)
	}
}

func TestChipIssueHolderJSON(t *testing.T) {
	dir := t.TempDir()
	holder := filepath.Join(dir, "holder.json")
	// A synthetic holder in chip.ParseHolderJSON's schema: 079 (Hồ Chí Minh),
	// fourth digit 3 = female born 2000-2099, year 03.
	os.WriteFile(holder, []byte(`{"number":"079303000777","name":"Trần Thị Ngọc Anh","birth_date":"2003-08-30","sex":"F",
		"expiry_date":"2028-08-30","issue_date":"2021-04-01","nationality":"Việt Nam","father_name":"Trần Văn Bố",
		"mother_name":null}`), 0o644)
	card := filepath.Join(dir, "card")
	if _, stderr, code := runCLI(t, "", "chip", "issue", "-out", card, "-holder", holder); code != exitOK {
		t.Fatalf("issue: %d %s", code, stderr)
	}
	out, _, code := runCLI(t, "", "chip", "verify", "-trust", filepath.Join(card, "csca.pem"), card)
	if code != exitOK || !strings.Contains(out, `"document_number":"303000777"`) {
		t.Fatalf("verify: %d %s", code, out)
	}
	// Unknown keys are rejected by the holder schema.
	os.WriteFile(holder, []byte(`{"number":"079303000777","nam":"x"}`), 0o644)
	if _, stderr, code := runCLI(t, "", "chip", "issue", "-out", card, "-force", "-holder", holder); code != exitFail || !strings.Contains(stderr, `"nam": unknown key`) {
		t.Fatalf("bad holder: exit %d, %s", code, stderr)
	}
}
