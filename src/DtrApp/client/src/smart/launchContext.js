// DTR 2.0.1 launch context from the token response: the orders, the coverage, and a questionnaire
// canonical or CRD coverage-assertion id when the EHR gives one. SMART 2.0 sends fhirContext as
// objects ({reference} / {canonical, type} / {identifier}); older EHRs send reference strings.
// CRD cards may also pass appContext (a JSON string, or a query string) naming the same things.

const ORDER_TYPES = new Set([
  'ServiceRequest', 'DeviceRequest', 'MedicationRequest', 'NutritionOrder', 'CommunicationRequest',
  'Appointment', 'Encounter',
]);

export function readLaunchContext(tokenResponse) {
  const context = { orders: [], coverages: [], questionnaires: [], coverageAssertionIds: [], responses: [] };
  for (const entry of tokenResponse?.fhirContext || []) {
    addContextEntry(context, entry);
  }

  const app = parseAppContext(tokenResponse?.appContext);
  for (const order of list(app.orders ?? app.order)) addReference(context, order);
  for (const coverage of list(app.coverages ?? app.coverage)) addReference(context, coverage);
  for (const response of list(app.responses ?? app.response)) addReference(context, response);
  for (const questionnaire of list(app.questionnaires ?? app.questionnaire)) addUnique(context.questionnaires, questionnaire);
  for (const id of list(app['coverage-assertion-id'] ?? app.coverageAssertionId ?? app.context)) addUnique(context.coverageAssertionIds, id);
  return context;
}

function addContextEntry(context, entry) {
  if (typeof entry === 'string') {
    addReference(context, entry);
  } else if (entry?.reference) {
    addReference(context, entry.reference);
  } else if (entry?.canonical && (!entry.type || entry.type === 'Questionnaire')) {
    addUnique(context.questionnaires, entry.canonical);
  } else if (entry?.identifier?.value && entry.type !== 'Patient') {
    // CRD's coverage-assertion-id travels as an identifier when the EHR has no order resource to name.
    addUnique(context.coverageAssertionIds, entry.identifier.value);
  }
}

function addReference(context, value) {
  if (typeof value === 'object' && value?.reference) value = value.reference;
  if (typeof value !== 'string' || !value.includes('/')) return;
  const reference = relative(value);
  const type = reference.split('/')[0];
  if (type === 'Coverage') addUnique(context.coverages, reference);
  else if (type === 'QuestionnaireResponse') addUnique(context.responses, reference);
  else if (type === 'Questionnaire') addUnique(context.questionnaires, value);
  else if (ORDER_TYPES.has(type)) addUnique(context.orders, reference);
}

// "https://ehr/fhir/ServiceRequest/1" and "ServiceRequest/1" name the same order.
function relative(reference) {
  const parts = reference.split('?')[0].split('/').filter(Boolean);
  const history = parts.indexOf('_history');
  const usable = history > 0 ? parts.slice(0, history) : parts;
  return usable.slice(-2).join('/');
}

function parseAppContext(appContext) {
  if (!appContext) return {};
  if (typeof appContext === 'object') return appContext;
  const text = String(appContext).trim();
  if (text.startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      return {};
    }
  }

  const result = {};
  for (const [key, value] of new URLSearchParams(text)) {
    (result[key] = result[key] || []).push(value);
  }
  return result;
}

function list(value) {
  if (value == null) return [];
  return Array.isArray(value) ? value : [value];
}

function addUnique(array, value) {
  if (value && !array.includes(value)) array.push(value);
}
