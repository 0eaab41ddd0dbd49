// Command prizequiz is the one binary of the prize quiz: serve, migrate.
package main

import (
	"os"

	_ "time/tzdata" // campaign time zones must resolve on machines without zoneinfo

	"prizequiz/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
