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
)

func init() {
	register(command{name: "chip keygen", summary: "make an Ed25519 issuer key for compact signed cards (PEM)", run: runChipKeygen})
}

func runChipKeygen(e *env, args []string) int {
	fs := newFlags(e, "chip keygen", "[-seed S] -out issuer.key [-pub issuer.pub]\n\n"+
		"Makes an Ed25519 issuer key for \"chip sign\". The private key is written as\n"+
		"PEM \"PRIVATE KEY\" (PKCS#8, RFC 8410) to -out, mode 0600; the public key as PEM\n"+
		"\"PUBLIC KEY\" (PKIX SubjectPublicKeyInfo) to -pub, or to stdout without -pub.\n"+
		"With -seed the key is reproducible: its 32-byte Ed25519 seed is SHA-256(S).\n"+
		"A seeded key is for tests and demos only. Prints the key id (kid) on stderr.\n")
	seed := fs.String("seed", "", "derive the key from this string (tests, demos); default: crypto/rand")
	out := fs.String("out", "", "file for the private key (PEM PKCS#8)")
	pubOut := fs.String("pub", "", "file for the public key (PEM PKIX); default: stdout")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if *out == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
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
	if err := os.WriteFile(*out, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER}), 0o600); err != nil {
		fmt.Fprintln(e.stderr, "cancuoc chip keygen:", err)
		return exitFail
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	if *pubOut == "" {
		e.stdout.Write(pubPEM)
	} else if err := os.WriteFile(*pubOut, pubPEM, 0o644); err != nil {
		fmt.Fprintln(e.stderr, "cancuoc chip keygen:", err)
		return exitFail
	}
	fmt.Fprintf(e.stderr, "kid %x\n", compactKeyID(pub))
	return exitOK
}

// readPEM returns the DER of the single PEM block of type typ in file.
func readPEM(file, typ string) ([]byte, error) {
	b, err := os.ReadFile(file)
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
