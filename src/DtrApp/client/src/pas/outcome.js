// What the payer decided, in the words a clinician reads: per item the X12 review action (A1 with
// the authorization number, A3 with the reason, A4 pended, NA no authorization needed).

const REVIEW_ACTION = 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewAction';
const REVIEW_ACTION_CODE = 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewActionCode';

export function readDecision(responseBundle) {
  const claimResponse = (responseBundle?.entry || []).map(e => e.resource).find(r => r?.resourceType === 'ClaimResponse');
  if (!claimResponse) return null;
  const items = (claimResponse.item || []).map(item => {
    const review = (item.adjudication || []).flatMap(a => a.extension || []).find(e => e.url === REVIEW_ACTION);
    const parts = review?.extension || [];
    const code = parts.find(e => e.url === REVIEW_ACTION_CODE)?.valueCodeableConcept?.coding?.[0]?.code || null;
    const number = parts.find(e => e.url === 'number')?.valueString || null;
    const reasons = parts.filter(e => e.url === 'reasonCode')
      .map(e => e.valueCodeableConcept?.text || e.valueCodeableConcept?.coding?.[0]?.display)
      .filter(Boolean);
    return { sequence: item.itemSequence, code, number, reasons };
  });
  return { id: claimResponse.id, preAuthRef: claimResponse.preAuthRef || null, items };
}

export function describeDecision(decision) {
  if (!decision?.items.length) return 'The payer answered without a decision.';
  return decision.items.map(item => {
    const prefix = decision.items.length > 1 ? `Item ${item.sequence}: ` : '';
    const reasons = item.reasons.length ? ` Reason: ${item.reasons.join('; ')}` : '';
    switch (item.code) {
      case 'A1':
        return `${prefix}Approved (A1). Authorization number ${item.number || decision.preAuthRef}.`;
      case 'A3':
        return `${prefix}Denied (A3).${reasons}`;
      case 'A4':
        return `${prefix}Pended for clinical review (A4).${reasons}`;
      case 'NA':
        return `${prefix}No prior authorization is required (NA).`;
      case 'C':
        return `${prefix}Cancelled (C).`;
      default:
        return `${prefix}The payer answered ${item.code || 'without a review action'}.`;
    }
  }).join(' ');
}
