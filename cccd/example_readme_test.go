package cccd_test

import (
	"fmt"
	"log"
	"time"

	"github.com/cancuoc/sdk/cccd"
)

// Example_readme is the README's cccd snippet, run: every output the README
// shows comes from here (TestReadmeOutputs in examples/tour checks).
func Example_readme() {
	n, err := cccd.ParseLenient(" 079 303 004 567 ") // synthetic
	if err != nil {
		log.Fatal(err) // errors.Is(err, cccd.ErrProvince), cccd.ErrLegacyNumber, ...
	}
	p := n.Province()
	fmt.Println(n, p.Name, p.Name2025, n.Sex(), n.BirthYear()) // 079*******67 Hồ Chí Minh Hồ Chí Minh female 2003
	if err := n.Matches(time.Date(2003, 4, 5, 0, 0, 0, 0, time.UTC), cccd.Female); err != nil {
		log.Fatal(err) // errors.Is(err, cccd.ErrMismatch)
	}
	// Output:
	// 079*******67 Hồ Chí Minh Hồ Chí Minh female 2003
}
