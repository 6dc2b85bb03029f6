package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	"github.com/cancuoc/sdk/internal/bounded"
)

func init() {
	register(command{name: "chip keygen", summary: "make an Ed25519 issuer key for compact signed cards (PEM)", run: runChipKeygen})
}

func runChipKeygen(e *env, args []string) int {
	fs := newFlags(e, "chip keygen", "[-seed S] [-force] -out issuer.key [-pub issuer.pub]\n\n"+
		"Makes an Ed25519 issuer key for \"chip sign\". The private key is written as\n"+
		"PEM \"PRIVATE KEY\" (PKCS#8, RFC 8410) to -out, mode 0600; the public key as PEM\n"+
		"\"PUBLIC KEY\" (PKIX SubjectPublicKeyInfo) to -pub, or to stdout without -pub.\n"+
		"An existing -out or -pub file is never replaced unless -force is given.\n"+
		"With -seed the key is reproducible: its 32-byte Ed25519 seed is SHA-256(S).\n"+
		"A seeded key is for tests and demos only. Prints the key id (kid) on stderr.\n")
	seed := fs.String("seed", "", "derive the key from this string (tests, demos); default: crypto/rand")
	out := fs.String("out", "", "file for the private key (PEM PKCS#8)")
	pubOut := fs.String("pub", "", "file for the public key (PEM PKIX); default: stdout")
	force := fs.Bool("force", false, "replace existing key files")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if *out == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	// Check both outputs before writing either, so a refusal writes nothing.
	if !*force {
		for _, f := range []string{*out, *pubOut} {
			if err := refuseExisting(f); err != nil {
				fmt.Fprintln(e.stderr, "cancuoc chip keygen:", err)
				return exitFail
			}
		}
	}
	var priv ed25519.PrivateKey
	if *seed != "" {
		s := sha256.Sum256([]byte(*seed))
		priv = ed25519.NewKeyFromSeed(s[:])
	} else {
		var err error
		if _, priv, err = ed25519.GenerateKey(rand.Reader); err != nil {
			fmt.Fprintln(e.stderr, "cancuoc chip keygen:", err)
			return exitFail
		}
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		fmt.Fprintln(e.stderr, "cancuoc chip keygen:", err)
		return exitFail
	}
	pub := priv.Public().(ed25519.PublicKey)
	pubDER, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		fmt.Fprintln(e.stderr, "cancuoc chip keygen:", err)
		return exitFail
	}
	if err := writeKeyFile(*out, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER}), 0o600, *force); err != nil {
		fmt.Fprintln(e.stderr, "cancuoc chip keygen:", err)
		return exitFail
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	if *pubOut == "" {
		e.stdout.Write(pubPEM)
	} else if err := writeKeyFile(*pubOut, pubPEM, 0o644, *force); err != nil {
		fmt.Fprintln(e.stderr, "cancuoc chip keygen:", err)
		return exitFail
	}
	fmt.Fprintf(e.stderr, "kid %x\n", compactKeyID(pub))
	return exitOK
}

// errExists reports an output file that is already there.
var errExists = errors.New("exists; use -force to replace it")

// refuseExisting returns an error naming file when it exists.
func refuseExisting(file string) error {
	if file == "" {
		return nil
	}
	if _, err := os.Lstat(file); err == nil {
		return fmt.Errorf("%s: %w", file, errExists)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// writeKeyFile writes key material to file with mode perm. Without force it
// refuses an existing file (O_EXCL, so a file appearing meanwhile is not
// replaced either). With force the old file is removed first, so the new
// one is created with perm rather than keeping a looser mode.
func writeKeyFile(file string, b []byte, perm os.FileMode, force bool) error {
	if force {
		if err := os.Remove(file); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s: %w", file, errExists)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readPEM returns the DER of the single PEM block of type typ in file.
func readPEM(file, typ string) ([]byte, error) {
	b, err := bounded.ReadFile(file, bounded.KeyFile)
	if err != nil {
		return nil, err
	}
	block, rest := pem.Decode(b)
	if block == nil || block.Type != typ {
		return nil, fmt.Errorf("%s: no PEM %q block", file, typ)
	}
	if len(pemTrim(rest)) != 0 {
		return nil, fmt.Errorf("%s: data after the PEM block", file)
	}
	return block.Bytes, nil
}

func pemTrim(b []byte) []byte {
	for len(b) > 0 && (b[0] == '\n' || b[0] == '\r' || b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

// readPrivateKey reads a PEM PKCS#8 Ed25519 private key.
func readPrivateKey(file string) (ed25519.PrivateKey, error) {
	der, err := readPEM(file, "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, errors.New(file + ": not an Ed25519 key")
	}
	return priv, nil
}

// readPublicKey reads a PEM PKIX Ed25519 public key.
func readPublicKey(file string) (ed25519.PublicKey, error) {
	der, err := readPEM(file, "PUBLIC KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, errors.New(file + ": not an Ed25519 key")
	}
	return pub, nil
}
