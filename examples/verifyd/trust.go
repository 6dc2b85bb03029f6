package main

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/compact"
	"github.com/cancuoc/sdk/internal/bounded"
)

// trustConfig holds the service's trust anchors: CSCA certificates for chip
// files and Ed25519 issuer keys for compact signed cards.
type trustConfig struct {
	csca    *chip.TrustStore
	issuers *compact.TrustStore
}

// loadTrust reads the -trust files (CSCA certificates, PEM or DER, or
// master lists, *.ml) and the -issuer-key files (Ed25519 public keys, PEM
// PKIX or 32 raw bytes) into the stores, adding to what -demo put there.
// A master list is added only when its signer chains, at start-up, to one
// of the -ml-root certificates (chip.TrustStore.AddMasterList); without
// -ml-root, or signed by anyone else, it is refused and the service does
// not start.
func (c *config) loadTrust(trust, mlRoots, issuerKeys []string) error {
	if c.trust.csca == nil {
		c.trust.csca = chip.NewTrustStore()
	}
	var roots *chip.TrustStore
	for _, path := range mlRoots {
		b, err := bounded.ReadFile(path, bounded.Certificate)
		if err != nil {
			return err
		}
		if roots == nil {
			roots = chip.NewTrustStore()
		}
		if err := roots.AddEncoded(b); err != nil {
			return fmt.Errorf("-ml-root %s: %w", path, err)
		}
	}
	if c.trust.issuers == nil {
		c.trust.issuers = &compact.TrustStore{}
	}
	for _, path := range trust {
		b, err := bounded.ReadFile(path, bounded.MasterList) // a certificate or a master list
		if err != nil {
			return err
		}
		if strings.EqualFold(filepath.Ext(path), ".ml") {
			ml, err := chip.ParseMasterList(b)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if roots == nil {
				return fmt.Errorf("%s: master list refused: anyone can sign a master list; give the certificate of its publisher (the root its signer chains to) with -ml-root FILE", path)
			}
			if err := c.trust.csca.AddMasterList(ml, roots, time.Now()); err != nil {
				return fmt.Errorf("%s: master list refused: %s", path, strings.TrimPrefix(err.Error(), "chip: "))
			}
			continue
		}
		if err := c.trust.csca.AddEncoded(b); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	for _, path := range issuerKeys {
		b, err := bounded.ReadFile(path, bounded.KeyFile)
		if err != nil {
			return err
		}
		pub, err := parseIssuerKey(b)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := c.trust.issuers.AddKey(compact.KeyID(pub), pub); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return nil
}

// parseIssuerKey reads an Ed25519 public key as PEM PKIX or as 32 raw bytes.
func parseIssuerKey(b []byte) (ed25519.PublicKey, error) {
	if len(b) == ed25519.PublicKeySize {
		return ed25519.PublicKey(b), nil
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("not a PEM PUBLIC KEY nor a raw 32-byte Ed25519 key")
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("the key is not Ed25519")
	}
	return pub, nil
}
