package chiptest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strconv"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/brainpool"
)

// Key files WriteCard writes next to the chip files. They hold the chip's
// private keys so a software card can be rebuilt from the folder; they are
// test material and say so in their PEM headers.
const (
	AAKeyFile = "aa-key.pem" // active-authentication private key
	CAKeyFile = "ca-key.pem" // chip-authentication private key
)

const (
	keyPEMType = "CHIPTEST PRIVATE KEY"
	keyWarning = "test material for chiptest software cards, never a real chip's key"
	maxFile    = 1 << 20 // a chip file or key file; the LDS caps files at 64 KB
)

// cardFileNames are the chip files a folder may hold.
func cardFileNames() []string {
	names := []string{chip.FileCardAccess, chip.FileCOM, chip.FileSOD}
	for i := 1; i <= 16; i++ {
		names = append(names, "DG"+strconv.Itoa(i))
	}
	return names
}

// WriteCard writes the card's chip files (raw bytes, named EF.CardAccess,
// EF.COM, EF.SOD, DG1...) and its private keys (AAKeyFile, CAKeyFile,
// PEM blocks of type "CHIPTEST PRIVATE KEY" marked as test material) into
// dir, which must exist. It returns the names written.
func WriteCard(dir string, c *Card) ([]string, error) {
	var names []string
	for _, n := range cardFileNames() {
		b, ok := c.Files[n]
		if !ok {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			return names, err
		}
		names = append(names, n)
	}
	for _, k := range []struct {
		name string
		key  crypto.Signer
	}{{AAKeyFile, c.AAKey}, {CAKeyFile, c.CAKey}} {
		if k.key == nil {
			continue
		}
		b, err := encodeKey(k.key)
		if err != nil {
			return names, err
		}
		if err := os.WriteFile(filepath.Join(dir, k.name), b, 0o600); err != nil {
			return names, err
		}
		names = append(names, k.name)
	}
	return names, nil
}

// LoadCard reads a card that WriteCard (or `cancuoc chip issue -out DIR`)
// wrote: every chip file present, and the key files when present. Use
// NewSoftCard to serve it.
func LoadCard(dir string) (*Card, error) {
	c := &Card{Files: chip.Files{}}
	for _, n := range cardFileNames() {
		b, err := readLimited(filepath.Join(dir, n))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		c.Files[n] = b
	}
	if _, ok := c.Files[chip.FileCOM]; !ok {
		return nil, fmt.Errorf("chiptest: %s has no EF.COM", dir)
	}
	for _, k := range []struct {
		name string
		dst  *crypto.Signer
	}{{AAKeyFile, &c.AAKey}, {CAKeyFile, &c.CAKey}} {
		b, err := readLimited(filepath.Join(dir, k.name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if *k.dst, err = decodeKey(b); err != nil {
			return nil, fmt.Errorf("chiptest: %s: %w", k.name, err)
		}
	}
	return c, nil
}

func readLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFile {
		return nil, fmt.Errorf("chiptest: %s is larger than %d bytes", name, maxFile)
	}
	return b, nil
}

// encodeKey writes RSA keys as PKCS #1 and EC keys as their raw scalar,
// with the key type in a header.
func encodeKey(k crypto.Signer) ([]byte, error) {
	blk := &pem.Block{Type: keyPEMType, Headers: map[string]string{"Warning": keyWarning}}
	switch k := k.(type) {
	case *rsa.PrivateKey:
		blk.Headers["Key-Type"] = "RSA"
		blk.Bytes = x509.MarshalPKCS1PrivateKey(k)
	case *ecdsa.PrivateKey:
		blk.Headers["Key-Type"] = k.Curve.Params().Name
		b, err := k.Bytes()
		if err != nil {
			return nil, err
		}
		blk.Bytes = b
	case *brainpool.PrivateKey:
		blk.Headers["Key-Type"] = k.Curve.Name
		blk.Bytes = k.D.FillBytes(make([]byte, (k.Curve.N.BitLen()+7)/8))
	default:
		return nil, fmt.Errorf("chiptest: cannot store a %T", k)
	}
	return pem.EncodeToMemory(blk), nil
}

func decodeKey(b []byte) (crypto.Signer, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != keyPEMType {
		return nil, errors.New("not a " + keyPEMType + " PEM block")
	}
	kt := blk.Headers["Key-Type"]
	switch kt {
	case "RSA":
		return x509.ParsePKCS1PrivateKey(blk.Bytes)
	case "P-256", "P-384", "P-521":
		c := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}[kt]
		return ecdsa.ParseRawPrivateKey(c, blk.Bytes)
	}
	c := brainpool.CurveByName(kt)
	if c == nil {
		return nil, fmt.Errorf("unknown Key-Type %q", kt)
	}
	d := new(big.Int).SetBytes(blk.Bytes)
	if d.Sign() == 0 || d.Cmp(c.N) >= 0 || len(blk.Bytes) != (c.N.BitLen()+7)/8 {
		return nil, errors.New("brainpool scalar out of range")
	}
	pub, err := c.ScalarBaseMult(blk.Bytes)
	if err != nil {
		return nil, err
	}
	pk, err := brainpool.ParsePublicKey(c, pub)
	if err != nil {
		return nil, err
	}
	return &brainpool.PrivateKey{PublicKey: *pk, D: d}, nil
}
