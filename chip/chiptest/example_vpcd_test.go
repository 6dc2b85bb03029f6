package chiptest_test

import (
	"context"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/cancuoc/sdk/chip/chiptest"
)

// Attach a software card to pcscd's vsmartcard virtual reader until
// SIGTERM, as "cancuoc chip emulate" does; any PC/SC application (and
// chip/reader/pcsc) then sees it in the reader "Virtual PCD 00 00". The
// example needs pcscd and vsmartcard-vpcd, so it is compiled but not run.
func ExampleServeVPCD() {
	is, err := chiptest.New(chiptest.Options{Seed: "example"})
	if err != nil {
		log.Fatal(err)
	}
	issued, err := is.Issue(chiptest.DefaultHolder())
	if err != nil {
		log.Fatal(err)
	}
	card, err := chiptest.NewSoftCard(issued, chiptest.SoftCardOptions{})
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := chiptest.ServeVPCD(ctx, chiptest.DefaultVPCDAddr, card); err != nil {
		log.Fatal(err)
	}
}
