package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/cost/prices"
)

// priceFlags select the price catalog of cost and simulate.
func priceFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "catalog", Usage: "price catalog `FILE` written by 'vpcgate prices import', merged over the embedded one"},
		&cli.StringFlag{Name: "prices", Usage: "user price `FILE` (YAML/JSON) overriding entries, currency included"},
		&cli.StringFlag{Name: "price-region", Usage: "price in `REGION` what the input does not place in a region (as --region does, for prices only; default: the region most of the input states)"},
	}
}

// priceRegion is --price-region, else an explicit --region, else "" (the
// region most of the input names). It fills only what the input leaves
// open: provider blocks, stack environments, ARNs and zones win.
func priceRegion(c *cli.Context) string {
	if r := c.String("price-region"); r != "" {
		return r
	}
	if c.IsSet("region") {
		return c.String("region")
	}
	return ""
}

// loadCatalog builds the catalog: embedded, then --catalog, then --prices.
func loadCatalog(c *cli.Context) (*prices.Catalog, error) {
	cat, err := prices.Default()
	if err != nil {
		return nil, err
	}
	if path := c.String("catalog"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, usageError("--catalog: %v", err)
		}
		defer f.Close()
		imported, err := prices.Parse(f)
		if err != nil {
			return nil, usageError("--catalog %s: %v", path, err)
		}
		if err := cat.Merge(imported); err != nil {
			return nil, usageError("--catalog %s: %v", path, err)
		}
		if imported.AsOf != "" {
			cat.AsOf, cat.Source = imported.AsOf, imported.Source
		}
	}
	if path := c.String("prices"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, usageError("--prices: %v", err)
		}
		defer f.Close()
		o, err := prices.ParseOverride(f, path)
		if err != nil {
			return nil, usageError("--prices: %v", err)
		}
		if cat, err = o.Apply(cat, path); err != nil {
			return nil, usageError("--prices: %v", err)
		}
	}
	return cat, nil
}

func pricesCommand() *cli.Command {
	return &cli.Command{
		Name:  "prices",
		Usage: "show the price catalog or build one from the AWS Price List",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "print the catalog (embedded, or with --catalog and --prices applied)",
				Flags: append(priceFlags(),
					&cli.StringSliceFlag{Name: "region", Usage: "only `REGION` (repeatable)"},
					&cli.StringFlag{Name: "key", Usage: "only keys starting with `PREFIX` (ec2/, rds/, nat/…)"},
					&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "table or json", Value: "table"},
				),
				Action: pricesList,
			},
			{
				Name:      "import",
				Usage:     "build a catalog from AWS Price List bulk offer files (JSON or CSV) or, with --live, the Pricing API",
				ArgsUsage: "FILE...",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "live", Usage: "query the AWS Pricing API (credentials from the usual AWS chain)"},
					&cli.StringSliceFlag{Name: "region", Usage: "keep only `REGION` (repeatable; required with --live)"},
					&cli.StringFlag{Name: "endpoint", Usage: "Pricing API endpoint `URL` (for tests and proxies)"},
					&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the catalog to `FILE` (default stdout)"},
				},
				Action: pricesImport,
			},
		},
	}
}

func pricesList(c *cli.Context) error {
	cat, err := loadCatalog(c)
	if err != nil {
		return err
	}
	regions := map[string]bool{}
	for _, r := range c.StringSlice("region") {
		regions[r] = true
	}
	prefix := c.String("key")
	out := prices.New(cat.Currency, cat.Source, cat.AsOf)
	for _, e := range cat.Entries() {
		if (len(regions) == 0 || regions[e.Region]) && strings.HasPrefix(e.Key, prefix) {
			out.Set(e)
		}
	}
	switch c.String("format") {
	case "json":
		return out.WriteJSON(c.App.Writer)
	case "table", "text":
		tw := tabwriter.NewWriter(c.App.Writer, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "REGION\tKEY\t%s\tUNIT\tSOURCE\tAS OF\n", cat.Currency)
		estimates := false
		for _, e := range out.Entries() {
			p := e.Price.String()
			if e.Estimate {
				p, estimates = "~"+p, true
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Region, e.Key, p, e.Unit, e.Source, e.AsOf)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if estimates {
			fmt.Fprintln(c.App.Writer, "\n~ estimate: not a list price from a dated, published table; refresh it with vpcgate prices import")
		}
		return nil
	}
	return usageError("prices list: unknown format %q (want table or json)", c.String("format"))
}

func pricesImport(c *cli.Context) error {
	im := prices.NewImporter(prices.ImportOptions{Regions: c.StringSlice("region")})
	switch {
	case c.Bool("live"):
		if len(c.StringSlice("region")) == 0 {
			return usageError("prices import --live: give at least one --region")
		}
		if err := im.Live(c.Context, prices.LiveOptions{Regions: c.StringSlice("region"), Endpoint: c.String("endpoint")}); err != nil {
			return exitWith(exitUsage, err)
		}
	case c.NArg() == 0:
		return usageError("prices import: give offer files, or --live")
	}
	for _, path := range c.Args().Slice() {
		if err := im.ReadFile(path); err != nil {
			return exitWith(exitUsage, err)
		}
	}
	cat := im.Catalog()
	if cat.Len() == 0 {
		return exitWith(exitUsage, fmt.Errorf("prices import: no price the catalog uses was found"))
	}
	w := c.App.Writer
	if path := c.String("output"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return exitWith(exitUsage, fmt.Errorf("prices import: %w", err))
		}
		defer f.Close()
		if err := cat.WriteJSON(f); err != nil {
			return exitWith(exitUsage, err)
		}
		fmt.Fprintf(c.App.ErrWriter, "wrote %d prices in %d regions to %s\n", cat.Len(), len(cat.Regions()), path)
		return f.Close()
	}
	return cat.WriteJSON(w)
}
