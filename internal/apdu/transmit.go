package apdu

import (
	"context"
	"fmt"
)

// Transmitter sends one command and returns the card's response. The
// reader's session implements it twice: in the clear, and through the
// secure channel. A transport failure is an error; any status word is a
// Response.
type Transmitter interface {
	Transmit(ctx context.Context, c *Command) (Response, error)
}

// StatusError is a command the card answered with an unexpected status
// word. Step names the protocol step ("EXTERNAL AUTHENTICATE",
// "GENERAL AUTHENTICATE 4"); the message never holds data.
type StatusError struct {
	Step string
	SW   uint16
}

// Error names the step and the status word.
func (e *StatusError) Error() string {
	return fmt.Sprintf("apdu: %s: status %s", e.Step, SWString(e.SW))
}
