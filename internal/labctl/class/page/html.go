package page

import (
	_ "embed" // the page's style and script
	"encoding/json"
	"fmt"
	"html/template"
	"io"

	"github.com/kms-lab/kms-lab/internal/labctl/class/status"
)

var (
	//go:embed page.css
	pageCSS string
	//go:embed page.js
	pageJS string
)

// The page is drawn by its script from the JSON in it, so that watch mode
// redraws it from /status.json the same way, and 300 accounts cost their
// data, not 300 rows of repeated markup.
var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Class {{.Class}}: lab status</title>
<style>{{.CSS}}</style>
</head>
<body>
<header><h1 id="title">Class {{.Class}}</h1> <span id="conn" role="status"></span>
<p class="meta" id="meta">{{len .Accounts}} accounts</p></header>
<noscript><p>This page draws itself with JavaScript; without it, use labctl class status --format table or markdown.</p></noscript>
<main>
<table id="totals"></table>
<h2 id="overview-title">Accounts, by stack</h2>
<div id="overview" role="group" aria-labelledby="overview-title"></div>
<div id="tip" role="tooltip" hidden></div>
<h2>Common mistakes</h2>
<ul id="causes"></ul>
<h2>Every account</h2>
<div id="controls">
<label><input type="checkbox" id="failing-only"> failing only</label>
<label for="task-filter">task</label> <select id="task-filter"></select>
<label for="sort">sort by</label> <select id="sort"><option value="stack">stack</option><option value="progress">progress</option></select>
</div>
<table id="grid"><caption class="meta">One row per account; open a row's details for its failures.</caption><thead></thead><tbody></tbody></table>
</main>
<script type="application/json" id="data">{{.Data}}</script>
<script>{{.JS}}</script>
</body>
</html>
`))

// WriteHTML writes one self-contained page: no scripts, fonts, images or
// style sheets from elsewhere, so it can be mailed or attached as is.
func WriteHTML(w io.Writer, r *status.Result) error {
	return Write(w, New(r))
}

// Write writes p as the class page.
func Write(w io.Writer, p *Page) error {
	data, err := json.Marshal(p.withoutDetails())
	if err != nil {
		return fmt.Errorf("class page data: %w", err)
	}
	// json.Marshal writes <, > and & as \u003c...: the data cannot close
	// its script element.
	return page.Execute(w, map[string]any{
		"Class":    p.Class,
		"Accounts": p.Accounts,
		"CSS":      template.CSS(pageCSS),
		"JS":       template.JS(pageJS),
		"Data":     template.JS(data),
	})
}
