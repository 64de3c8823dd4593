// The PAS 2.0.1 request Bundle the app submits to Claim/$submit: the Claim first, then the member,
// the coverage, the insurer, the requesting provider, the orders and the QuestionnaireResponses,
// every entry with a full URL on the EHR's base so that references resolve inside the Bundle.

const PAS = 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/';
const CPT = 'http://www.ama-assn.org/go/cpt';

export function buildPasBundle({ ehrBase, record, responses, now = new Date() }) {
  const { patient, coverage, orders } = record;
  const insurer = record.insurer || insurerFromCoverage(coverage);
  const provider = record.organization || record.practitioner;
  if (!provider) throw new Error('The order names no requesting provider the EHR could return; a prior authorization request needs one.');

  const claim = {
    resourceType: 'Claim',
    id: crypto.randomUUID(),
    meta: { profile: [`${PAS}profile-claim`] },
    identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${crypto.randomUUID()}` }],
    status: 'active',
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
    use: 'preauthorization',
    patient: { reference: ref(patient) },
    created: now.toISOString(),
    insurer: { reference: ref(insurer) },
    provider: { reference: ref(provider) },
    priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }] },
    insurance: [{ sequence: 1, focal: true, coverage: { reference: ref(coverage) } }],
    supportingInfo: responses.map((response, i) => ({
      sequence: i + 1,
      category: { coding: [{ system: 'http://hl7.org/fhir/us/davinci-pas/CodeSystem/PASTempCodes', code: 'additionalInformation' }] },
      valueReference: { reference: ref(response) },
    })),
    item: orders.map((order, i) => claimItem(order, i + 1, record.practitioner ? [1] : undefined, now)),
  };
  if (record.practitioner) {
    claim.careTeam = [{ sequence: 1, provider: { reference: ref(record.practitioner) } }];
  }

  const resources = [claim, patient, coverage, insurer, provider];
  if (record.practitioner && record.practitioner !== provider) resources.push(record.practitioner);
  resources.push(...orders, ...responses);
  return {
    resourceType: 'Bundle',
    meta: { profile: [`${PAS}profile-pas-request-bundle`] },
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${crypto.randomUUID()}` },
    type: 'collection',
    timestamp: now.toISOString(),
    entry: resources.map(resource => ({ fullUrl: `${ehrBase}/${ref(resource)}`, resource })),
  };
}

function claimItem(order, sequence, careTeamSequence, now) {
  const coding = (order.code?.coding || []).filter(c => c.code);
  const cpt = coding.filter(c => c.system === CPT);
  const item = {
    extension: [{ url: `${PAS}extension-requestedService`, valueReference: { reference: ref(order) } }],
    sequence,
    category: { coding: [{ system: 'https://codesystem.x12.org/005010/1365', code: '1', display: 'Medical Care' }] },
    productOrService: { coding: (cpt.length ? cpt : coding).map(({ system, code, display }) => ({ system, code, display })) },
    servicedDate: serviceDate(order, now),
  };
  if (careTeamSequence) item.careTeamSequence = careTeamSequence;
  const units = order.quantityQuantity?.value;
  if (Number.isInteger(units) && units > 0) item.quantity = { value: units };
  return item;
}

function serviceDate(order, now) {
  const when = order.occurrenceDateTime || order.occurrencePeriod?.start || order.occurrenceTiming?.event?.[0];
  return (when || now.toISOString()).slice(0, 10);
}

// A Coverage whose payer the EHR cannot return still names it (display or identifier).
function insurerFromCoverage(coverage) {
  const payor = coverage?.payor?.[0] || {};
  const organization = { resourceType: 'Organization', id: 'insurer', active: true, name: payor.display || 'Health plan' };
  if (payor.identifier) organization.identifier = [payor.identifier];
  return organization;
}

function ref(resource) {
  return `${resource.resourceType}/${resource.id}`;
}
