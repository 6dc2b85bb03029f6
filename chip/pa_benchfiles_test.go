package chip_test

import (
	"testing"

	"github.com/cancuoc/sdk/chip"
)

func benchFiles(b *testing.B) chip.Files { return syntheticFiles(9) }
