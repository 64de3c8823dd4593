// Pre-filled answers, DTR's information-origin, and the response a clinician finishes.
import { flatten } from '../cql/prepopulate.js';

export const INFORMATION_ORIGIN = 'http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/information-origin';
const QR_PROFILE = 'http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/dtr-questionnaireresponse';
const QR_CONTEXT = 'http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/qr-context';
const INTENDED_USE = 'http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/intendedUse';

/**
 * The starting response: the payer's draft answers as sent, then what the EHR's record answers
 * (CQL) for the items the payer left open. Returns the response and, per linkId, the pre-filled
 * answers and where they came from ('payer' | 'ehr').
 */
export function initialResponse(form, cqlAnswers, subject) {
  const prefilled = {};
  for (const item of flatten(form.draft?.item)) {
    if (item.answer?.length) prefilled[item.linkId] = { answers: item.answer.map(stripOrigin), source: 'payer' };
  }
  for (const [linkId, answers] of Object.entries(cqlAnswers)) {
    if (!prefilled[linkId]) prefilled[linkId] = { answers, source: 'ehr' };
  }

  const response = {
    resourceType: 'QuestionnaireResponse',
    meta: { profile: [QR_PROFILE] },
    extension: form.draft?.extension || [],
    questionnaire: canonicalOf(form.questionnaire),
    status: 'in-progress',
    subject: form.draft?.subject || subject,
    item: responseItems(form.questionnaire.item, linkId => prefilled[linkId]?.answers),
  };
  return { response, prefilled };
}

function responseItems(definitions, answersOf) {
  const items = [];
  for (const definition of definitions || []) {
    if (definition.type === 'group') {
      const children = responseItems(definition.item, answersOf);
      if (children.length) items.push({ linkId: definition.linkId, text: definition.text, item: children });
    } else if (answersOf(definition.linkId)?.length) {
      items.push({ linkId: definition.linkId, text: definition.text, answer: answersOf(definition.linkId).map(a => ({ ...a })) });
    }
  }
  return items;
}

export function canonicalOf(questionnaire) {
  return questionnaire.version ? `${questionnaire.url}|${questionnaire.version}` : questionnaire.url;
}

function stripOrigin(answer) {
  const copy = { ...answer };
  if (copy.extension) {
    copy.extension = copy.extension.filter(e => e.url !== INFORMATION_ORIGIN);
    if (!copy.extension.length) delete copy.extension;
  }
  delete copy.item;
  return copy;
}

function valueKey(answer) {
  const value = Object.entries(stripOrigin(answer)).filter(([key]) => key.startsWith('value'));
  return JSON.stringify(value.map(([key, v]) => [key, v?.code ?? v?.value ?? v]));
}

/**
 * The finished response: DTR profile and context (coverage and orders), status, author, and on
 * every answer its information-origin — "auto" when it is what was pre-filled, "override" when a
 * person changed a pre-filled answer, "manual" when a person entered it (dtrx-1: those two name
 * the author).
 */
export function finishResponse({ filled, form, prefilled, context, author, status }) {
  const response = structuredClone(filled);
  response.meta = { ...(response.meta || {}), profile: [QR_PROFILE] };
  response.questionnaire = canonicalOf(form.questionnaire);
  response.status = status;
  response.subject = context.subject;
  response.authored = new Date().toISOString();
  if (author?.reference) response.author = author;
  const others = (response.extension || []).filter(e => e.url !== QR_CONTEXT && e.url !== INTENDED_USE);
  response.extension = [
    ...others,
    ...context.references.map(reference => ({ url: QR_CONTEXT, valueReference: { reference } })),
    (response.extension || []).find(e => e.url === INTENDED_USE)
      || { url: INTENDED_USE, valueCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/us/davinci-crd/CodeSystem/temp', code: 'withpa', display: 'Include with PA' }] } },
  ];
  markOrigins(response.item, prefilled, author);
  delete response.id;
  return response;
}

function markOrigins(items, prefilled, author) {
  for (const item of items || []) {
    const before = prefilled[item.linkId]?.answers || [];
    const beforeKeys = new Set(before.map(valueKey));
    for (const answer of item.answer || []) {
      const source = !before.length ? 'manual' : beforeKeys.has(valueKey(answer)) ? 'auto' : 'override';
      const origin = { url: INFORMATION_ORIGIN, extension: [{ url: 'source', valueCode: source }] };
      if (source !== 'auto') origin.extension.push(authorExtension(author));
      answer.extension = [...(answer.extension || []).filter(e => e.url !== INFORMATION_ORIGIN), origin];
      markOrigins(answer.item, prefilled, author);
    }
    markOrigins(item.item, prefilled, author);
  }
}

// The person who typed or changed the answer: the signed-in practitioner when the EHR names one,
// else the role of the person the app serves (a clinician).
function authorExtension(author) {
  const parts = author?.reference?.startsWith('Practitioner/')
    ? [{ url: 'practitioner', valueReference: { reference: author.reference } }]
    : [{ url: 'role', valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '309343006', display: 'Physician' }] } }];
  return { url: 'author', extension: parts };
}

/** Human-readable "question: answer" lines of the pre-filled answers, by where they came from. */
export function describePrefilled(questionnaire, prefilled) {
  const byLink = Object.fromEntries(flatten(questionnaire.item).map(item => [item.linkId, item]));
  const lines = { payer: [], ehr: [] };
  for (const [linkId, { answers, source }] of Object.entries(prefilled)) {
    const item = byLink[linkId];
    if (!item) continue;
    lines[source].push({ linkId, question: item.text || linkId, answer: answers.map(display).join(', ') });
  }
  return lines;
}

function display(answer) {
  if ('valueBoolean' in answer) return answer.valueBoolean ? 'Yes' : 'No';
  if (answer.valueCoding) return answer.valueCoding.display || answer.valueCoding.code;
  if (answer.valueQuantity) return `${answer.valueQuantity.value} ${answer.valueQuantity.unit || ''}`.trim();
  const key = Object.keys(answer).find(k => k.startsWith('value'));
  return key ? String(answer[key]) : '';
}
