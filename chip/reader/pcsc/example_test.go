package pcsc_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cancuoc/sdk/chip/reader"
	"github.com/cancuoc/sdk/chip/reader/pcsc"
)

// Open the first reader that holds a card and send it one command. The
// example needs pcscd and a card, so it is compiled but not run.
func ExampleOpen() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	names, err := pcsc.ListReaders(ctx, pcsc.Options{})
	if errors.Is(err, pcsc.ErrNoService) {
		fmt.Println("start pcscd first")
		return
	}
	fmt.Println("readers:", names)

	card, err := pcsc.Open(ctx, pcsc.Options{})
	switch {
	case errors.Is(err, pcsc.ErrNoCard):
		fmt.Println("put the card on the reader")
		return
	case err != nil:
		fmt.Println(err)
		return
	}
	defer card.Close()

	// SELECT the eMRTD application by name (ICAO 9303-10 clause 3.6.1).
	resp, err := card.Transmit(ctx, []byte{0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01})
	if errors.Is(err, reader.ErrCardRemoved) {
		fmt.Println("the card left the reader")
		return
	}
	if err == nil {
		fmt.Printf("status %X\n", resp[len(resp)-2:])
	}
}
