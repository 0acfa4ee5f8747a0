//go:build !unix

package botframework_test

import "time"

// processCPU is unknown here: the wall time of the work is reported.
func processCPU() time.Duration { return 0 }
