package diagnose

import "testing"

// TestSyncErrorTextSaysWhatIsSet: a job error reads as one line with
// whichever of its code and message the service set, never an empty
// "Code: " or ": message".
func TestSyncErrorTextSaysWhatIsSet(t *testing.T) {
	for _, tc := range []struct {
		err  *SyncError
		want string
	}{
		{nil, ""},
		{&SyncError{Code: "None"}, ""},
		{&SyncError{}, ""},
		{&SyncError{Code: "SalesforceInvalidCredentials", Message: "Your credentials are invalid."}, "SalesforceInvalidCredentials: Your credentials are invalid."},
		{&SyncError{Message: "The directory could not be reached."}, "The directory could not be reached."},
		{&SyncError{Code: "None", Message: "The directory could not be reached."}, "The directory could not be reached."},
		{&SyncError{Code: "BadGateway"}, "BadGateway"},
	} {
		if got := tc.err.Text(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.err, got, tc.want)
		}
	}
}
