package chip_test

import (
	"testing"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
)

// benchFiles are the data groups of the default synthetic card, built by
// chip.BuildDataGroups (DG2 is a synthetic JPEG face of about 20 KB).
func benchFiles(b *testing.B) chip.Files {
	is := newIssuer(b, chiptest.Options{Seed: "bench-files"})
	card, err := is.Issue(chiptest.DefaultHolder())
	if err != nil {
		b.Fatal(err)
	}
	f := card.Files
	delete(f, chip.FileSOD)
	b.Logf("DG2 is %d bytes", len(f["DG2"]))
	return f
}
