//go:build !unix

package beater

import "time"

// processCPU cannot read the process CPU time here: the number of Ps stays
// as libbeat set it.
func processCPU() (time.Duration, bool) { return 0, false }
