package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/cancuoc/sdk/chip/chiptest"
)

func init() {
	register(command{name: "chip emulate", summary: "serve a test card from \"chip issue -out DIR\" to pcscd's virtual reader (vsmartcard vpcd) until SIGTERM", run: runChipEmulate})
}

func runChipEmulate(e *env, args []string) int {
	fs := newFlags(e, "chip emulate", "[-vpcd HOST:PORT] DIR\n\n"+
		"Serves the test card that \"chip issue -out DIR\" wrote as a software card attached to the\n"+
		"vsmartcard virtual reader of pcscd (Debian packages pcscd and vsmartcard-vpcd), until SIGTERM\n"+
		"or an interrupt, so that \"chip read -pcsc\" reads it through the real PC/SC stack. vpcd's first\n"+
		"reader (\"Virtual PCD 00 00\") listens on port 35963, its second on 35964. When pcscd restarts,\n"+
		"the card comes back on its own. For tests only: DIR holds the chip's private keys.\n")
	addr := fs.String("vpcd", chiptest.DefaultVPCDAddr, "address of pcscd's vpcd driver")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	dir := fs.Arg(0)
	issued, err := chiptest.LoadCard(dir)
	if err != nil {
		fmt.Fprintln(e.stderr, "chip emulate:", err)
		return exitFail
	}
	card, err := chiptest.NewSoftCard(issued, chiptest.SoftCardOptions{})
	if err != nil {
		fmt.Fprintln(e.stderr, "chip emulate:", err)
		return exitFail
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	fmt.Fprintf(e.stderr, "chip emulate: serving %s to vpcd at %s until SIGTERM\n", dir, *addr)
	if err := chiptest.ServeVPCD(ctx, *addr, card); err != nil {
		fmt.Fprintln(e.stderr, "chip emulate:", err)
		return exitFail
	}
	fmt.Fprintln(e.stderr, "chip emulate: stopped")
	return exitOK
}
