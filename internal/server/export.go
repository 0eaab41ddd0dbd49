package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"prizequiz/ent"
	"prizequiz/ent/admin"
	"prizequiz/ent/campaign"
	"prizequiz/ent/period"
	"prizequiz/graph"
	"prizequiz/internal/apperr"
	"prizequiz/internal/audit"
	"prizequiz/internal/auth"
	"prizequiz/internal/prizedraw"
	"prizequiz/internal/reqinfo"
)

// files serves downloads that are not GraphQL: spreadsheets. They take the
// same bearer token, and the same roles, as the API.
type files struct {
	res *graph.Resolver
	log *slog.Logger
}

func (f *files) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/export/periods/{id}/winners", f.winners)
}

// admin authenticates the request and checks the role, answering the
// client itself when it may not proceed.
func (f *files) admin(w http.ResponseWriter, r *http.Request, min admin.Role) (*ent.Admin, bool) {
	p, err := f.res.Auth.Authenticate(r.Context(), bearer(r.Header.Get("Authorization")))
	if err != nil {
		f.log.ErrorContext(r.Context(), "authenticate download", "err", err)
		writeError(w, http.StatusInternalServerError, string(apperr.Internal), "internal error")
		return nil, false
	}
	a, err := auth.RequireRole(auth.WithPrincipal(r.Context(), p), min)
	if err != nil {
		e, _ := apperr.As(err)
		status := http.StatusForbidden
		if e.Code == apperr.Unauthenticated {
			status = http.StatusUnauthorized
		}
		writeError(w, status, string(e.Code), e.Message)
		return nil, false
	}
	return a, true
}

func (f *files) fail(w http.ResponseWriter, r *http.Request, err error) {
	if e, ok := apperr.As(err); ok {
		status := http.StatusBadRequest
		if e.Code == apperr.NotFound {
			status = http.StatusNotFound
		}
		writeError(w, status, string(e.Code), e.Message)
		return
	}
	f.log.ErrorContext(r.Context(), "download failed", "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, string(apperr.Internal), "internal error")
}

// send writes rows as the requested format (?format=xlsx, the default, or csv).
func send(w http.ResponseWriter, r *http.Request, name, sheet string, rows [][]string) error {
	switch r.URL.Query().Get("format") {
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+".csv"))
		_, err := w.Write(prizedraw.CSV(rows))
		return err
	case "", "xlsx":
		b, err := prizedraw.XLSX(sheet, rows)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+".xlsx"))
		_, err = w.Write(b)
		return err
	}
	return apperr.Invalidf("format: xlsx or csv")
}

// winners exports a period's draw with the winners' contact data, for
// EDITOR and OWNER; each export is written to the audit log.
func (f *files) winners(w http.ResponseWriter, r *http.Request) {
	a, ok := f.admin(w, r, admin.RoleEDITOR)
	if !ok {
		return
	}
	ctx := r.Context()
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		f.fail(w, r, apperr.NotFoundf("unknown period"))
		return
	}
	c, err := f.res.Client.Campaign.Query().Where(campaign.HasPeriodsWith(period.ID(id))).Only(ctx)
	if ent.IsNotFound(err) {
		f.fail(w, r, apperr.NotFoundf("period %d not found", id))
		return
	}
	if err != nil {
		f.fail(w, r, err)
		return
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		f.fail(w, r, err)
		return
	}
	rows, err := f.res.Draws.ExportRows(ctx, id, loc)
	if err != nil {
		f.fail(w, r, err)
		return
	}
	entry := &audit.Entry{Actor: a.Username, Action: "exportWinners", Subject: fmt.Sprintf("Period:%d", id),
		ClientAddr: reqinfo.From(ctx).Addr, Args: map[string]any{"format": r.URL.Query().Get("format")}}
	if err := audit.Write(ctx, f.res.Client, entry, f.res.Clock.Now()); err != nil {
		f.fail(w, r, err)
		return
	}
	if err := send(w, r, fmt.Sprintf("winners-%s-period-%d", c.PublicID, id), "获奖名单", rows); err != nil {
		f.fail(w, r, err)
	}
}
