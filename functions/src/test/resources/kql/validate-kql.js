// Parses and analyzes KQL queries with Microsoft's Kusto language service
// (@kusto/language-service-next) against given table schemas, offline.
// Usage: node validate-kql.js <package dir> < request.json
// Request: {"tables": {"<name>": "(col:type, ...)"}, "queries": [{"id": "...", "text": "..."}]}
// Answer (stdout): [{"id": "...", "diagnostics": [{"severity","message","start","length"}],
//                   "columns": ["<result column>", ...]}]
"use strict";
const dir = process.argv[2];
require(dir + "/bridge.js");
require(dir + "/Kusto.Language.Bridge.js");
const K = Kusto.Language;

const input = require("fs").readFileSync(0, "utf8");
const request = JSON.parse(input);
const tables = Object.entries(request.tables).map(
  ([name, schema]) => new K.Symbols.TableSymbol.$ctor7(name, schema, ""));
const database = new K.Symbols.DatabaseSymbol.$ctor3("workspace", null, tables, false);
const cluster = new K.Symbols.ClusterSymbol.$ctor1("loganalytics", [database], false);
const globals = K.GlobalState.Default.WithCluster(cluster).WithDatabase(database);

const answers = request.queries.map(query => {
  const code = K.KustoCode.ParseAndAnalyze(query.text, globals);
  const found = code.GetDiagnostics();
  const diagnostics = [];
  for (let i = 0; i < found.Count; i++) {
    const d = found.getItem(i);
    diagnostics.push({ severity: d.Severity, message: d.Message, start: d.Start, length: d.Length });
  }
  const columns = [];
  const result = code.ResultType;
  if (result && result.Columns) {
    for (let i = 0; i < result.Columns.Count; i++) {
      columns.push(result.Columns.getItem(i).Name);
    }
  }
  return { id: query.id, diagnostics: diagnostics, columns: columns };
});
process.stdout.write(JSON.stringify(answers));
