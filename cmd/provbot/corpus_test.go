package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
)

// corpusDir holds the real-world corpus: one folder per public report,
// with Graph-shaped fixtures and case.json (README.md there explains).
const corpusDir = "testdata/corpus"

// minCorpus is the least number of cases the corpus must hold.
const minCorpus = 40

// corpusCase is a case folder's case.json.
type corpusCase struct {
	// Subject is the user (or group) as the reporter would name them.
	Subject string `json:"subject"`
	// App picks the diagnosis when the files hold several apps.
	App    string `json:"app,omitempty"`
	Source struct {
		Kind  string `json:"kind"`
		Title string `json:"title"`
		URL   string `json:"url"`
	} `json:"source"`
	// Symptom is the report's own words.
	Symptom string `json:"symptom"`
	// Fixture says which parts of the files are the report's and which
	// are ours.
	Fixture string `json:"fixture"`
	Want    struct {
		Category diagnose.Category `json:"category"`
		// Owner is who acts first: the first recommendation's party.
		Owner diagnose.Party `json:"owner,omitempty"`
		// Quote is what the app said: verbatim in the input, and quoted
		// verbatim in the answer.
		Quote string `json:"quote,omitempty"`
	} `json:"want"`
	dir string
}

// corpusRun is one replay: the files as provbot reads them and its answer.
type corpusRun struct {
	args      []string // the command line, without the program name
	entries   []diagnose.Entry
	jobs      []diagnose.Job
	stdout    string
	diagnoses []diagnose.Diagnosis
}

// TestRealWorldCorpus replays every public report the way an outside tester
// would: `provbot diagnose SUBJECT --logs logs.json [--job job.json]
// --format json`, in-process, and checks the verdict, who acts first, and
// that the app's words are quoted verbatim.
func TestRealWorldCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < minCorpus {
		t.Fatalf("the corpus has %d cases, want at least %d", len(cases), minCorpus)
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.dir), func(t *testing.T) {
			r := replay(t, c)
			checkCorpusAnswer(t, c, r)
			checkOfflineInvariants(t, r.args)
		})
	}
}

// loadCorpus reads every case folder, checking that it is complete.
func loadCorpus(t *testing.T) []corpusCase {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(corpusDir, "*", "case.json"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(dirs)
	var out []corpusCase
	for _, p := range dirs {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var c corpusCase
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		c.dir = filepath.Dir(p)
		if c.Subject == "" || c.Source.URL == "" || c.Symptom == "" || c.Fixture == "" || c.Want.Category == "" {
			t.Errorf("%s: a case needs a subject, a source link, the symptom, what the fixture holds and the expected category", p)
		}
		if !slices.Contains(diagnose.Categories(), c.Want.Category) {
			t.Errorf("%s: %q is not a category of the public contract", p, c.Want.Category)
		}
		out = append(out, c)
	}
	return out
}

// replay runs the command on the case's files and reads what it printed.
func replay(t *testing.T, c corpusCase) corpusRun {
	t.Helper()
	var r corpusRun
	logs := filepath.Join(c.dir, "logs.json")
	args := []string{"diagnose", c.Subject, "--logs", logs, "--format", "json"}
	fh, err := os.Open(logs)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if r.entries, err = graph.ReadLogs(fh); err != nil {
		t.Fatalf("read %s: %v", logs, err)
	}
	if job := filepath.Join(c.dir, "job.json"); fileExists(job) {
		args = append(args, "--job", job)
		jh, err := os.Open(job)
		if err != nil {
			t.Fatal(err)
		}
		defer jh.Close()
		if r.jobs, err = graph.ReadJobs(jh); err != nil {
			t.Fatalf("read %s: %v", job, err)
		}
	}
	code, out, errOut := cli(t, args...)
	if code != 0 {
		t.Fatalf("provbot %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	r.stdout, r.args = out, args
	var got diagnoseOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("JSON output: %v\n%s", err, out)
	}
	r.diagnoses = got.Diagnoses
	return r
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// checkCorpusAnswer checks the answer against the case: the verdict, who
// acts first, and the app's words quoted verbatim from the input.
func checkCorpusAnswer(t *testing.T, c corpusCase, r corpusRun) {
	t.Helper()
	if len(r.diagnoses) == 0 {
		t.Fatalf("no diagnosis:\n%s", r.stdout)
	}
	d := r.diagnoses[0]
	if c.App != "" {
		i := slices.IndexFunc(r.diagnoses, func(d diagnose.Diagnosis) bool { return strings.EqualFold(d.App.Name, c.App) })
		if i < 0 {
			t.Fatalf("no diagnosis for app %q", c.App)
		}
		d = r.diagnoses[i]
	}
	if d.Category != c.Want.Category {
		t.Errorf("category %s (rule %s), want %s\nheadline: %s\nexplanation: %s", d.Category, d.RuleID, c.Want.Category, d.Headline, d.Explanation)
	}
	if c.Want.Owner != "" {
		if len(d.Recommendations) == 0 || d.Recommendations[0].Who != c.Want.Owner {
			t.Errorf("owner: actions %+v, want the first by %s", d.Recommendations, c.Want.Owner)
		}
	}
	if q := c.Want.Quote; q != "" {
		if !inputSays(r.entries, r.jobs, q) {
			t.Errorf("the case's quote %q is not in the input: fix the case", q)
		}
		if !answerQuotes(d, q) {
			t.Errorf("the answer does not quote %q verbatim\nexplanation: %s\nevidence: %+v", q, d.Explanation, d.Evidence)
		}
	}
}

// inputSays reports whether the entries or jobs hold s verbatim in a
// reason, detail, description or message.
func inputSays(entries []diagnose.Entry, jobs []diagnose.Job, s string) bool {
	for _, e := range entries {
		texts := []string{}
		if e.Error != nil {
			texts = append(texts, e.Error.Reason, e.Error.AdditionalDetails)
		}
		for _, st := range e.Steps {
			texts = append(texts, st.Description)
			for _, v := range st.Details {
				texts = append(texts, v)
			}
		}
		for _, x := range texts {
			if strings.Contains(x, s) {
				return true
			}
		}
	}
	for _, j := range jobs {
		if q := j.Status.Quarantine; q != nil && q.Error != nil && strings.Contains(q.Error.Message, s) {
			return true
		}
	}
	return false
}

// answerQuotes reports whether the answer quotes s verbatim: in its
// explanation or in an evidence value.
func answerQuotes(d diagnose.Diagnosis, s string) bool {
	if strings.Contains(d.Explanation, s) {
		return true
	}
	for _, ev := range d.Evidence {
		if strings.Contains(ev.Value, s) {
			return true
		}
	}
	return false
}

// TestCorpusIndexListsEveryCase keeps the corpus README's index true.
func TestCorpusIndexListsEveryCase(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(corpusDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range loadCorpus(t) {
		if name := filepath.Base(c.dir); !strings.Contains(string(readme), "["+name+"]") {
			t.Errorf("README.md does not list %s", name)
		}
	}
}
