// DTR pre-population: run the package Library's ELM (the CQL the questionnaire names) with the
// reference engine against what the EHR holds for the patient, then turn each item's
// initialExpression result into answers.
import cql from 'cql-execution';
import cqlfhir from 'cql-exec-fhir';

const INITIAL_EXPRESSION = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression';

export function elmOf(library) {
  const content = (library.content || []).find(c => c.contentType === 'application/elm+json' && c.data);
  if (!content) throw new Error(`Library ${library.url || library.id} carries no ELM (application/elm+json).`);
  const bytes = Uint8Array.from(atob(content.data), ch => ch.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

// cql-execution's code service wants { url: { version: [codes] } }; the package's value sets come expanded.
export function codeServiceOf(valueSets) {
  const index = {};
  for (const valueSet of valueSets) {
    const codes = [];
    for (const include of valueSet.compose?.include || []) {
      for (const concept of include.concept || []) codes.push({ system: include.system, code: concept.code, version: include.version });
    }
    for (const contains of valueSet.expansion?.contains || []) codes.push({ system: contains.system, code: contains.code, version: contains.version });
    index[valueSet.url] = index[valueSet.url] || {};
    index[valueSet.url][valueSet.version] = codes;
  }
  return new cql.CodeService(index);
}

const QR_CONTEXT = 'http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/qr-context';

/**
 * The ServiceRequest a form documents: the one the payer's draft names in qr-context, else the
 * only ServiceRequest of the launch. The Library counts the member's age on its date of service,
 * as the payer decides it (P1, P6); without one the Library falls back to today.
 */
export function orderOfForm(draft, orders) {
  const requests = (orders || []).filter(o => o?.resourceType === 'ServiceRequest');
  const named = (draft?.extension || []).filter(e => e.url === QR_CONTEXT).map(e => e.valueReference?.reference);
  return requests.find(o => named.includes(`ServiceRequest/${o.id}`)) || (requests.length === 1 ? requests[0] : null);
}

/** Every expression's value for the patient: { name: value }. The order fills the Library's "Order" parameter. */
export async function evaluateLibrary(library, valueSets, patient, resources, order = null) {
  const elm = elmOf(library);
  const declared = (elm.library?.parameters?.def || []).some(p => p.name === 'Order');
  const parameters = order && declared ? { Order: cqlfhir.FHIRWrapper.FHIRv401().wrap(order) } : {};
  const executor = new cql.Executor(new cql.Library(elm), codeServiceOf(valueSets), parameters);
  const source = cqlfhir.PatientSource.FHIRv401();
  source.loadBundles([{
    resourceType: 'Bundle',
    type: 'collection',
    entry: [patient, ...resources].map(resource => ({ resource })),
  }]);
  const results = await executor.exec(source);
  return { name: elm.library?.identifier?.id, values: results.patientResults[patient.id] || {} };
}

/** linkId → answers, for every item whose CQL initialExpression produced a value. */
export function answersFromResults(questionnaire, evaluation) {
  const answers = {};
  for (const item of flatten(questionnaire.item)) {
    const expression = (item.extension || []).find(e => e.url === INITIAL_EXPRESSION)?.valueExpression;
    if (!expression || !String(expression.language).startsWith('text/cql')) continue;
    const name = expressionName(expression.expression, evaluation.name);
    if (!name || !(name in evaluation.values)) continue;
    const values = [].concat(evaluation.values[name] ?? []);
    const converted = values.map(value => answerOf(item, value)).filter(Boolean);
    if (converted.length) answers[item.linkId] = item.repeats ? converted : converted.slice(0, 1);
  }
  return answers;
}

// '"SpinePolicyPrepopulation".AgeInYears', 'SpinePolicyPrepopulation.AgeInYears' or 'AgeInYears'.
function expressionName(text, libraryName) {
  const match = /^\s*(?:"([^"]+)"|([A-Za-z_][\w]*))\.(?:"([^"]+)"|([A-Za-z_][\w]*))\s*$/.exec(text || '');
  if (match) {
    const library = match[1] || match[2];
    return library === libraryName ? (match[3] || match[4]) : null;
  }
  const bare = /^\s*"?([A-Za-z_][\w ]*)"?\s*$/.exec(text || '');
  return bare ? bare[1] : null;
}

function answerOf(item, value) {
  if (value == null) return null;
  switch (item.type) {
    case 'boolean':
      return typeof value === 'boolean' ? { valueBoolean: value } : null;
    case 'integer': {
      const number = numberOf(value);
      return number == null ? null : { valueInteger: Math.round(number) };
    }
    case 'decimal': {
      const number = numberOf(value);
      return number == null ? null : { valueDecimal: number };
    }
    case 'quantity':
      return value.isQuantity ? { valueQuantity: { value: value.value, unit: value.unit, system: 'http://unitsofmeasure.org', code: value.unit } } : null;
    case 'date':
      return value.isDate || value.isDateTime ? { valueDate: value.toString().slice(0, 10) } : null;
    case 'dateTime':
      return value.isDateTime ? { valueDateTime: value.toString() } : null;
    case 'string':
    case 'text':
      return { valueString: String(value) };
    case 'choice':
    case 'open-choice':
      if (value.code && value.system) return { valueCoding: { system: value.system, code: value.code, display: value.display } };
      return typeof value === 'string' && item.type === 'open-choice' ? { valueString: value } : null;
    default:
      return null;
  }
}

function numberOf(value) {
  if (typeof value === 'number') return value;
  if (value?.isQuantity && typeof value.value === 'number') return value.value;
  return null;
}

export function flatten(items) {
  return (items || []).flatMap(item => [item, ...flatten(item.item)]);
}
