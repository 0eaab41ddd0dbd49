package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
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
	"prizequiz/internal/bankio"
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
	mux.HandleFunc("GET /api/export/banks/{id}/questions", f.questions)
	mux.HandleFunc("GET /api/templates/questions", f.template)
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
	var body []byte
	var err error
	switch r.URL.Query().Get("format") {
	case "csv":
		body = prizedraw.CSV(rows)
	case "", "xlsx":
		body, err = prizedraw.XLSX(sheet, rows)
	default:
		err = apperr.Invalidf("format: xlsx or csv")
	}
	if err != nil {
		return err
	}
	download(w, r, name, body)
	return nil
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

// questions exports a bank in the import template, for every admin role.
func (f *files) questions(w http.ResponseWriter, r *http.Request) {
	if _, ok := f.admin(w, r, admin.RoleVIEWER); !ok {
		return
	}
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		f.fail(w, r, apperr.NotFoundf("unknown question bank"))
		return
	}
	qs, b, err := f.res.Imports.Export(r.Context(), id)
	if err != nil {
		f.fail(w, r, err)
		return
	}
	var body []byte
	switch r.URL.Query().Get("format") {
	case "csv":
		body = bankio.ExportCSV(qs)
	case "", "xlsx":
		body, err = bankio.ExportXLSX(qs)
	default:
		err = apperr.Invalidf("format: xlsx or csv")
	}
	if err != nil {
		f.fail(w, r, err)
		return
	}
	download(w, r, fmt.Sprintf("questions-%d-%s", b.ID, b.Name), body)
}

// template serves the empty import template with its examples; it holds no
// data, so anyone may fetch it.
func (f *files) template(w http.ResponseWriter, r *http.Request) {
	var body []byte
	var err error
	switch r.URL.Query().Get("format") {
	case "csv":
		body = bankio.TemplateCSV()
	case "", "xlsx":
		body, err = bankio.Template()
	default:
		err = apperr.Invalidf("format: xlsx or csv")
	}
	if err != nil {
		f.fail(w, r, err)
		return
	}
	download(w, r, "题库导入模板", body)
}

// download sends a generated file under name with the extension of ?format.
func download(w http.ResponseWriter, r *http.Request, name string, body []byte) {
	ext, ctype := ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if r.URL.Query().Get("format") == "csv" {
		ext, ctype = ".csv", "text/csv; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name+ext))
	_, _ = w.Write(body)
}
