package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
	"github.com/cancuoc/sdk/chip/compact"
)

// demoHolder is the synthetic holder of -demo (no real person).
func demoHolder() (chip.Holder, error) {
	n, err := cccd.Parse("001095012345")
	if err != nil {
		return chip.Holder{}, err
	}
	return chip.Holder{
		Number:           n,
		Name:             "Nguyễn Văn Đức",
		BirthDate:        time.Date(1995, 3, 17, 0, 0, 0, 0, time.UTC),
		Sex:              cccd.Male,
		ExpiryDate:       time.Date(2035, 3, 17, 0, 0, 0, 0, time.UTC),
		IssueDate:        time.Date(2021, 5, 4, 0, 0, 0, 0, time.UTC),
		Nationality:      "Việt Nam",
		Ethnicity:        "Kinh",
		Religion:         "Không",
		PlaceOfOrigin:    "Hà Nội",
		PlaceOfResidence: "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội",
	}, nil
}

// setupDemo issues a synthetic card with a throwaway CSCA and a compact
// signed card with a throwaway Ed25519 key, trusts both, and writes
// everything a newcomer needs to try the service into dir: request.json (a
// ready /v1/cards/verify body), the chip files, csca.pem, card.cbor,
// compact.json (a ready /v1/compact/verify body) and issuer.pub. The caller
// owns dir and removes it.
func setupDemo(cfg *config, dir string) error {
	h, err := demoHolder()
	if err != nil {
		return err
	}
	issuer, err := chiptest.New(chiptest.Options{Seed: "verifyd demo"})
	if err != nil {
		return err
	}
	files, err := chip.BuildDataGroups(h, chip.BuildOptions{})
	if err != nil {
		return err
	}
	if files, err = issuer.Sign(files); err != nil {
		return err
	}

	seed := sha256.Sum256([]byte("verifyd demo issuer key"))
	key := ed25519.NewKeyFromSeed(seed[:])
	pub := key.Public().(ed25519.PublicKey)
	obj, err := compact.Sign(nil, h, key, compact.SignOptions{})
	if err != nil {
		return err
	}

	cfg.trust.csca = issuer.TrustStore()
	cfg.trust.issuers = &compact.TrustStore{}
	if err := cfg.trust.issuers.AddKey(compact.KeyID(pub), pub); err != nil {
		return err
	}

	req := cardRequest{Files: files}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			return err
		}
	}
	pubDER, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return err
	}
	reqJSON, _ := json.Marshal(req)
	compactJSON, _ := json.Marshal(map[string]string{"object": base64.StdEncoding.EncodeToString(obj)})
	for name, b := range map[string][]byte{
		"request.json": reqJSON,
		"csca.pem":     issuer.CSCAPEM(),
		"card.cbor":    obj,
		"compact.json": compactJSON,
		"issuer.pub":   pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}
