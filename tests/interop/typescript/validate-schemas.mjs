// Checks JSON Schemas against the JSON Schema 2020-12 meta-schema, and instances against their schemas, with Ajv
// (an independent implementation). Reads {"schemas":[{name,schema}],"instances":[{name,schema,instance}]} on stdin;
// prints one JSON object per line for each problem found, then "DONE <checked>".
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
addFormats(ajv);
// MCP's own annotation keyword (2026-07-28, x-mcp-header on tool parameters): known, so strict mode accepts it, and
// checked to be a string like any annotation with a defined shape.
ajv.addKeyword({ keyword: "x-mcp-header", schemaType: "string" });
let checked = 0;
for (const { name, schema } of input.schemas ?? []) {
  checked++;
  if (!ajv.validateSchema(schema)) {
    console.log(JSON.stringify({ name, kind: "schema", errors: ajv.errorsText(ajv.errors) }));
    continue;
  }
  try {
    ajv.compile(schema);
  } catch (e) {
    console.log(JSON.stringify({ name, kind: "compile", errors: String(e.message ?? e) }));
  }
}
for (const { name, schema, instance } of input.instances ?? []) {
  checked++;
  try {
    const validate = ajv.compile(schema);
    if (!validate(instance)) {
      console.log(JSON.stringify({ name, kind: "instance", errors: ajv.errorsText(validate.errors) }));
    }
  } catch (e) {
    console.log(JSON.stringify({ name, kind: "compile", errors: String(e.message ?? e) }));
  }
}
console.log(`DONE ${checked}`);
