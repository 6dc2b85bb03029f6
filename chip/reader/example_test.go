package reader_test

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
	"github.com/cancuoc/sdk/chip/reader"
)

// Read a CCCD (here the software card of chip/chiptest) with its CAN,
// chip and active authentication, then verify what was read.
func ExampleRead() {
	is, _ := chiptest.New(chiptest.Options{Seed: "example"})
	card, _ := is.Issue(chiptest.DefaultHolder())
	sc, _ := chiptest.NewSoftCard(card, chiptest.SoftCardOptions{})

	pw, _ := reader.CANFromNumber("001090012345") // the CAN is the number's last 6 digits
	res, err := reader.Read(context.Background(), sc, reader.Options{
		Password: pw, ChipAuthentication: true, ActiveAuthentication: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var names []string
	for n := range res.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Println(res.Access, "CA:", res.ChipAuthentication, "AA:", res.ActiveAuthentication)
	fmt.Println(names)
	r, err := chip.Verify(res.Files, chip.VerifyOptions{Trust: is.TrustStore()})
	fmt.Println("passive authentication:", r.Valid, err)
	// Output:
	// PACE-ECDH-GM-AES-128 CA: ok AA: ok
	// [DG1 DG13 DG14 DG15 DG2 EF.COM EF.CardAccess EF.SOD]
	// passive authentication: true <nil>
}

// A wrong CAN is reader.ErrAccessDenied, with the step and status word.
func ExampleRead_wrongCAN() {
	is, _ := chiptest.New(chiptest.Options{Seed: "example"})
	card, _ := is.Issue(chiptest.DefaultHolder())
	sc, _ := chiptest.NewSoftCard(card, chiptest.SoftCardOptions{})

	pw, _ := reader.CAN("000000")
	_, err := reader.Read(context.Background(), sc, reader.Options{Password: pw})
	fmt.Println(errors.Is(err, reader.ErrAccessDenied))
	fmt.Println(err)
	// Output:
	// true
	// reader: PACE: GENERAL AUTHENTICATE mutual authentication: status 6300 (verification failed): access denied
}

// The low-level API: open a session with PACE and read one file.
func ExampleSession() {
	is, _ := chiptest.New(chiptest.Options{Seed: "example"})
	card, _ := is.Issue(chiptest.DefaultHolder())
	sc, _ := chiptest.NewSoftCard(card, chiptest.SoftCardOptions{})
	ctx := context.Background()

	s := reader.NewSession(sc, reader.SessionOptions{})
	access, _ := s.ReadFile(ctx, "EF.CardAccess") // by SFI, no SELECT of the MF
	ca, _ := chip.ParseCardAccess(access)
	info, _ := reader.SupportedPACE(ca)
	pw, _ := reader.CAN("012345")
	if err := s.PACE(ctx, pw, info); err != nil {
		fmt.Println(err)
		return
	}
	if err := s.SelectApplication(ctx); err != nil {
		fmt.Println(err)
		return
	}
	com, _ := s.ReadFile(ctx, "EF.COM")
	c, _ := chip.ParseCOM(com)
	fmt.Println(info, "data groups:", c.DataGroups(), "APDUs:", s.APDUs())
	// Output:
	// PACE-ECDH-GM-AES-128 data groups: [1 2 13 14 15] APDUs: 8
}
