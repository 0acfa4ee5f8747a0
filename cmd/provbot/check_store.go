package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/provbot/provbot/store/sqlite"
)

// checkStore checks PROVBOT_STORE for `provbot check`: the SQLite file can
// be created or written (nothing is left behind), or Redis answers, is
// recent enough and takes writes.
func checkStore(ctx context.Context, e env, demo bool, line func(ok, optional bool, what, detail string)) {
	if demo {
		st, err := openStore(ctx, storeSettings{Kind: "sqlite", Path: sqlite.Memory}, cliLogger(e))
		if err != nil {
			line(false, false, "in-memory state store", err.Error())
			return
		}
		defer st.Close()
		line(true, false, st.Describe(), "")
		return
	}
	s, errs := loadStoreSettings(e.getenv)
	if err := errors.Join(errs...); err != nil {
		line(false, false, "PROVBOT_STORE", err.Error())
		return
	}
	switch s.Kind {
	case "sqlite":
		if s.Path == sqlite.Memory {
			line(false, true, "PROVBOT_STORE: sqlite in memory", "Watches, alert channels and the audit of actions are lost when provbot stops.")
			return
		}
		status, err := checkSQLiteFile(s.Path)
		if err != nil {
			line(false, false, "PROVBOT_STORE: "+s.describe(), err.Error()+"; set PROVBOT_STORE=sqlite:///a/writable/path/provbot.db")
			return
		}
		line(true, false, fmt.Sprintf("PROVBOT_STORE: %s (%s)", s.describe(), status), "")
		line(false, true, "one replica", "The reporting budget is kept in the process; for several replicas set PROVBOT_STORE=redis://…")
	case "redis":
		st, err := openStore(ctx, s, cliLogger(e))
		if err != nil {
			line(false, false, "PROVBOT_STORE: "+s.describe(), err.Error())
			return
		}
		defer st.Close()
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		key := fmt.Sprintf("check:%d", time.Now().UnixNano())
		err = st.CachePut(wctx, key, []byte("ok"), time.Minute)
		if err == nil {
			_, _, err = st.CacheGet(wctx, key)
		}
		if err == nil {
			err = st.CacheDelete(wctx, key)
		}
		if err != nil {
			line(false, false, "PROVBOT_STORE: "+st.Describe(), "Redis refused a write: "+err.Error())
			return
		}
		line(true, false, "PROVBOT_STORE: "+st.Describe(), "")
		line(true, false, "the reporting budget, leases and caches are shared by every replica on this Redis", "")
	}
}
