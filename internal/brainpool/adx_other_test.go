//go:build !amd64 || purego

package brainpool

func setADXForTest(bool) bool { return false }
