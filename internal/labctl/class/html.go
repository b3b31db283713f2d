package class

import (
	"fmt"
	"html/template"
	"io"
	"time"
)

// The page's colours, one per status. Tests read them back from the
// rendered page.
const (
	ColorPass    = "rgb(200, 230, 201)"
	ColorFail    = "rgb(255, 205, 210)"
	ColorUnknown = "rgb(255, 236, 179)"
	ColorError   = "rgb(224, 224, 224)"
)

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"cell": func(row Row, col string) Cell {
		c, ok := cellOf(row, col)
		if !ok {
			c = Cell{Column: col, Status: StatusError}
		}
		return c
	},
	"time": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
	"pct": func(n, of int) string {
		if of == 0 {
			return "0"
		}
		return fmt.Sprintf("%d", n*100/of)
	},
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Class {{.Class}}: lab status</title>
<style>
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #212121; }
h1 { font-size: 20px; margin: 0 0 4px; }
.meta { color: #616161; margin-bottom: 16px; }
table { border-collapse: collapse; }
th, td { border: 1px solid #bdbdbd; padding: 6px 8px; vertical-align: top; text-align: left; }
th { background: #f5f5f5; }
td.cell { min-width: 110px; max-width: 340px; }
td.pass { background: ` + ColorPass + `; }
td.fail { background: ` + ColorFail + `; }
td.unknown { background: ` + ColorUnknown + `; }
td.error { background: ` + ColorError + `; }
.status { font-weight: 600; }
.detail { font-size: 12px; margin-top: 4px; overflow-wrap: anywhere; }
tfoot td { font-weight: 600; background: #fafafa; }
</style>
</head>
<body>
<h1>Class {{.Class}}: {{if eq .Mode "by-hand"}}lab done by hand{{else}}deployed lab{{end}}</h1>
<p class="meta">Checked <time id="generated" datetime="{{.GeneratedAt.Format "2006-01-02T15:04:05Z07:00"}}">{{time .GeneratedAt}}</time> ·
<span id="complete">{{.Complete}} of {{len .Accounts}} accounts pass</span></p>
<table id="grid">
<thead><tr><th>stack</th><th>account</th>{{range .Columns}}<th data-column="{{.ID}}">{{.Title}}</th>{{end}}</tr></thead>
<tbody>
{{- range $row := .Accounts}}
<tr data-stack="{{$row.Stack}}" data-status="{{$row.Status}}"><td>{{$row.Stack}}</td><td>{{$row.Account}}<br><small>{{$row.Region}}</small></td>
{{- if $row.Error}}<td class="cell error" colspan="{{len $.Columns}}" data-column="all"><span class="status">error</span><div class="detail">not checked: {{$row.Error}}</div></td>
{{- else}}{{range $col := $.Columns}}{{with cell $row $col.ID}}<td class="cell {{.Status}}" data-column="{{$col.ID}}"><span class="status">{{.Status}}</span>{{range .Details}}<div class="detail">{{.}}</div>{{end}}</td>{{end}}{{end}}{{end}}</tr>
{{- end}}
</tbody>
<tfoot><tr><td colspan="2">pass</td>{{range .Columns}}<td class="count" data-column="{{.ID}}">{{.Pass}}/{{len $.Accounts}} ({{pct .Pass (len $.Accounts)}}%)</td>{{end}}</tr></tfoot>
</table>
</body>
</html>
`))

// WriteHTML writes one self-contained page: no scripts, fonts, images or
// style sheets from elsewhere, so it can be mailed or attached as is.
func WriteHTML(w io.Writer, r *Result) error {
	return page.Execute(w, r)
}
