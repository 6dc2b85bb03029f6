//go:build !race

package cccd

const raceEnabled = false
