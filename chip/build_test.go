package chip

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"image/jpeg"
	"slices"
	"testing"
)

func TestSyntheticFace(t *testing.T) {
	a, err := SyntheticFace(7)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := SyntheticFace(7)
	c, _ := SyntheticFace(8)
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Fatal("not deterministic per seed")
	}
	if len(a) < 16<<10 || len(a) > 24<<10 {
		t.Errorf("face is %d bytes, want about 20 KB", len(a))
	}
	img, err := jpeg.Decode(bytes.NewReader(a))
	if err != nil || img.Bounds().Dx() != 240 || img.Bounds().Dy() != 320 {
		t.Fatalf("decode: %v", err)
	}
	t.Logf("seed 7: %d bytes, sha256 %x", len(a), sha256.Sum256(a))
}

func TestBuildDataGroups(t *testing.T) {
	h, err := ParseHolderJSON([]byte(synthHolderJSON))
	if err != nil {
		t.Fatal(err)
	}
	h.FaceJPEG = nil
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	files, err := BuildDataGroups(h, BuildOptions{AAPublicKey: &ec.PublicKey, FaceSeed: 1})
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(files))
	for k := range files {
		names = append(names, k)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"DG1", "DG13", "DG14", "DG15", "DG2", "EF.COM"}) {
		t.Fatalf("files %q", names)
	}
	com, err := ParseCOM(files[FileCOM])
	if err != nil || !slices.Equal(com.DataGroups(), []int{1, 2, 13, 14, 15}) {
		t.Fatalf("EF.COM: %v %v", err, com)
	}
	dg1, err := ParseDG1(files["DG1"])
	if err != nil {
		t.Fatal(err)
	}
	doc, err := dg1.Document()
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := doc.CCCD(); !ok || n != h.Number {
		t.Errorf("MRZ number differs")
	}
	dg2, err := ParseDG2(files["DG2"])
	if err != nil {
		t.Fatal(err)
	}
	face, _ := SyntheticFace(1)
	if img, typ, ok := dg2.FaceImage(); !ok || typ != ImageJPEG || !bytes.Equal(img, face) || dg2.Templates[0].Face.Images[0].Width != 240 {
		t.Errorf("DG2 face differs")
	}
	dg13, err := ParseDG13(files["DG13"])
	if err != nil {
		t.Fatal(err)
	}
	if got, err := dg13.Holder(); err != nil || got.Number != h.Number || got.PlaceOfResidence != h.PlaceOfResidence {
		t.Errorf("DG13 holder: %v", err)
	}
	dg14, err := ParseDG14(files["DG14"])
	if err != nil {
		t.Fatal(err)
	}
	if aa, ok := dg14.ActiveAuthenticationInfo(); !ok || !aa.SignatureAlgorithm.Equal(oidECDSAWithSHA256) {
		t.Errorf("DG14 AA info: %v", aa.SignatureAlgorithm)
	}
	dg15, err := ParseDG15(files["DG15"])
	if err != nil || !dg15.Key.PublicKey.(*ecdsa.PublicKey).Equal(&ec.PublicKey) {
		t.Errorf("DG15: %v", err)
	}
	// Deterministic: the same holder and options give the same bytes.
	again, _ := BuildDataGroups(h, BuildOptions{AAPublicKey: &ec.PublicKey, FaceSeed: 1})
	for k, v := range files {
		if !bytes.Equal(again[k], v) {
			t.Errorf("%s differs between builds", k)
		}
	}

	// An RSA key: DG15 only; no DG14. A given face is used as is.
	rk, _ := rsa.GenerateKey(rand.Reader, 1024)
	h.FaceJPEG = face
	files, err = BuildDataGroups(h, BuildOptions{AAPublicKey: &rk.PublicKey})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files["DG14"]; ok {
		t.Error("DG14 written for an RSA key")
	}
	if _, ok := files["DG15"]; !ok {
		t.Error("no DG15")
	}
	// Not a JPEG: rejected, naming the field.
	h.FaceJPEG = []byte("GIF89a")
	var he *HolderError
	if _, err := BuildDataGroups(h, BuildOptions{}); !errors.Is(err, ErrHolder) || !errors.As(err, &he) || he.Field != "face_jpeg" {
		t.Errorf("GIF accepted: %v", err)
	}
}
