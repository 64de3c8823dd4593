'use strict';
// Runs the ELM of a published FHIR Library with the reference CQL engine (cql-execution +
// cql-exec-fhir) against patient Bundles and prints every expression's value as JSON.
// A ServiceRequest in a Bundle is the order the form documents: it is passed as the library's
// "Order" parameter, as a DTR client passes the order in context, so each Bundle runs on its own.
//
// usage: node evaluate.js --library <Library.json> [--valueset <ValueSet.json>]... [--now <ISO dateTime>] <bundle.json>...
// output: { "<Patient.id>": { "<expression name>": value, ... }, ... }
const fs = require('fs');
const cql = require('cql-execution');
const cqlfhir = require('cql-exec-fhir');

function parseArgs(argv) {
  const args = { valueSets: [], bundles: [], library: null, now: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--library') args.library = argv[++i];
    else if (arg === '--valueset') args.valueSets.push(argv[++i]);
    else if (arg === '--now') args.now = argv[++i];
    else args.bundles.push(arg);
  }
  if (!args.library || args.bundles.length === 0) {
    throw new Error('usage: node evaluate.js --library <Library.json> [--valueset <ValueSet.json>]... [--now <ISO>] <bundle.json>...');
  }
  return args;
}

function readJson(path) {
  return JSON.parse(fs.readFileSync(path, 'utf8'));
}

// DTR requires both text/cql and application/elm+json; the engine runs the ELM.
function elmOf(library) {
  if (library.resourceType !== 'Library') throw new Error(`${library.resourceType} is not a Library`);
  const content = (library.content || []).find(c => c.contentType === 'application/elm+json');
  if (!content || !content.data) throw new Error(`Library ${library.url} has no application/elm+json content`);
  return JSON.parse(Buffer.from(content.data, 'base64').toString('utf8'));
}

// cql-execution's CodeService wants { url: { version: [codes] } }.
function codeServiceOf(valueSets) {
  const index = {};
  for (const vs of valueSets) {
    const codes = [];
    for (const include of (vs.compose && vs.compose.include) || []) {
      for (const concept of include.concept || []) {
        codes.push({ system: include.system, code: concept.code, version: include.version });
      }
    }
    for (const contains of (vs.expansion && vs.expansion.contains) || []) {
      codes.push({ system: contains.system, code: contains.code, version: contains.version });
    }
    index[vs.url] = index[vs.url] || {};
    index[vs.url][vs.version] = codes;
  }
  return new cql.CodeService(index);
}

function plain(value) {
  if (value == null) return null;
  if (Array.isArray(value)) return value.map(plain);
  if (value.isDateTime || value.isDate) return value.toString();
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value.isQuantity) return { value: value.value, unit: value.unit };
  // A FHIR resource: its type and id are enough to see which records a list holds.
  if (value._json && value._json.resourceType) return `${value._json.resourceType}/${value._json.id}`;
  return String(value);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const library = new cql.Library(elmOf(readJson(args.library)));
  const codeService = codeServiceOf(args.valueSets.map(readJson));
  const now = args.now ? cql.DateTime.parse(args.now.replace('Z', '+00:00')) : undefined;
  const wrapper = cqlfhir.FHIRWrapper.FHIRv401();
  const output = {};
  for (const bundle of args.bundles.map(readJson)) {
    const source = cqlfhir.PatientSource.FHIRv401();
    source.loadBundles([bundle]);
    const order = (bundle.entry || []).map(e => e.resource).find(r => r && r.resourceType === 'ServiceRequest');
    const parameters = order ? { Order: wrapper.wrap(order) } : {};
    // cql-execution takes parameter values when the executor is made: one executor per order.
    const executor = new cql.Executor(library, codeService, parameters);
    const results = await executor.exec(source, now);
    for (const [patientId, expressions] of Object.entries(results.patientResults)) {
      output[patientId] = {};
      for (const [name, value] of Object.entries(expressions)) {
        if (name === 'Patient') continue;
        output[patientId][name] = plain(value);
      }
    }
  }
  process.stdout.write(JSON.stringify(output, null, 2) + '\n');
}

main().catch(error => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
