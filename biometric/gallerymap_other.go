//go:build !unix

package biometric

import (
	"errors"
	"os"
)

// mapFile does not map on this platform: LoadGallery reads the file.
func mapFile(*os.File, int64) ([]byte, error) {
	return nil, errors.New("biometric: memory mapping not supported")
}

// unmapFile is never reached without mapFile.
func unmapFile([]byte) error { return nil }
