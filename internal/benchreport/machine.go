package benchreport

import (
	"bufio"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Machine is what the report says about where it ran.
type Machine struct {
	CPU, OS, Kernel, Go, Postgres, Pgbench string
	Cores                                  int
	MemoryGiB                              float64
	LoadAvg                                string // before the run: a busy machine shows here
	Date                                   time.Time
}

func readMachine(ctx context.Context, pg *sql.DB, pgbench string) Machine {
	m := Machine{Cores: runtime.NumCPU(), Date: time.Now(), CPU: "unknown", OS: runtime.GOOS}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		m.CPU = v
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		if kb, err := strconv.ParseFloat(strings.TrimSuffix(v, " kB"), 64); err == nil {
			m.MemoryGiB = kb / (1 << 20)
		}
	}
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "PRETTY_NAME="); ok {
				m.OS = strings.Trim(v, `"`)
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		m.LoadAvg = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	m.Go = command(ctx, "go", "env", "GOVERSION")
	m.Pgbench = command(ctx, pgbench, "--version")
	if pg != nil {
		_ = pg.QueryRowContext(ctx, "SHOW server_version").Scan(&m.Postgres)
	}
	return m
}

// procField reads "name : value" from a /proc file.
func procField(path, name string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), ":")
		if ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func command(ctx context.Context, name string, args ...string) string {
	out, err := exec.CommandContext(ctx, name, args...).Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// peakRSS is a process's peak resident set (VmHWM) in MiB, 0 if unknown.
func peakRSS(pid int) float64 {
	v := procField("/proc/"+strconv.Itoa(pid)+"/status", "VmHWM")
	kb, err := strconv.ParseFloat(strings.TrimSuffix(v, " kB"), 64)
	if err != nil {
		return 0
	}
	return kb / 1024
}
